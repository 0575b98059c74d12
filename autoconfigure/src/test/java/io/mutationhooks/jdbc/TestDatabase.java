package io.mutationhooks.jdbc;

import org.springframework.jdbc.core.JdbcTemplate;

/** Empties the test tables, children first. */
final class TestDatabase {

	private TestDatabase() {
	}

	static void clean(JdbcTemplate jdbc) {
		for (String table : new String[] { "pin", "comment", "post", "account", "ledger", "app_user", "member", "document",
				"album_credit", "album_sticker", "album_page", "album_photo", "album" }) {
			jdbc.update("DELETE FROM " + table);
		}
	}

}
