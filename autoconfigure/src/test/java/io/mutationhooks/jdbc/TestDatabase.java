package io.mutationhooks.jdbc;

import org.springframework.jdbc.core.JdbcTemplate;

/** Empties the test tables, children first. */
final class TestDatabase {

	private TestDatabase() {
	}

	static void clean(JdbcTemplate jdbc) {
		for (String table : new String[] { "pin", "comment", "post", "account", "app_user", "member", "document" }) {
			jdbc.update("DELETE FROM " + table);
		}
	}

}
