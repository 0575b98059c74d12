package io.mutationhooks.jdbc;

/** How a save writes: as Spring Data decides, always an insert, always an update, or by whether the row exists. */
enum SaveKind {

	SAVE, INSERT, UPDATE, UPSERT

}
