package io.mutationhooks.testapp;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** An entity whose table no schema creates: every statement about it fails in the database. */
@Table("ghost_without_table")
public record Ghost(@Id Long id, String name) {

}
