package io.mutationhooks.testapp;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A record that cannot be annotated: its attachment is declared a reference to the "docs" bucket in configuration
 * (mutation-hooks.s3.references).
 */
@Table("document")
public record Document(@Id Long id, String title, String attachment) {

	public static Document of(String title, String attachment) {
		return new Document(null, title, attachment);
	}

}
