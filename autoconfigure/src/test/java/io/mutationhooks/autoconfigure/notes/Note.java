package io.mutationhooks.autoconfigure.notes;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** An entity of an application that uses hooks only: nothing of it refers to S3. */
@Table("note")
public record Note(@Id Long id, String text) {

}
