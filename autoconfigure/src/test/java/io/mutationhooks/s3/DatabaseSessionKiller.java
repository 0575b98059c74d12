package io.mutationhooks.s3;

import java.util.List;
import java.util.Random;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ends other clients' sessions on the shared database from the server's side, as a database restart, a fail-over or a
 * network cut does to them: PostgreSQL's {@code pg_terminate_backend}, MariaDB's {@code KILL CONNECTION}, H2's
 * {@code ABORT_SESSION}. The server rolls back what the session had not committed; the client finds its connection
 * closed at its next statement, or at its commit. Only sessions in a transaction are chosen: a fault in the middle of
 * one.
 */
final class DatabaseSessionKiller {

	private final String database;

	/** @param database {@code postgresql}, {@code mariadb} or {@code h2}, as the profiles name them */
	DatabaseSessionKiller(String database) {
		this.database = database;
	}

	/**
	 * Ends one session of another client of this database that is in a transaction now, if there is one.
	 * @param jdbc a connection to the shared database, whose own session is spared
	 * @return the session's id, or {@code null} if no other session was in a transaction
	 */
	Long killOneInATransaction(JdbcTemplate jdbc, Random random) {
		List<Long> sessions = jdbc.queryForList(inTransaction(), Long.class);
		if (sessions.isEmpty()) {
			return null;
		}
		long session = sessions.get(random.nextInt(sessions.size()));
		try {
			switch (this.database) {
				case "postgresql" -> jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, (int) session);
				case "mariadb" -> jdbc.execute("KILL CONNECTION " + session);
				default -> jdbc.queryForObject("SELECT ABORT_SESSION(?)", Boolean.class, (int) session);
			}
		}
		catch (RuntimeException ex) {
			// It ended by itself meanwhile.
			return null;
		}
		return session;
	}

	private String inTransaction() {
		return switch (this.database) {
			case "postgresql" -> "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
					+ " AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL";
			// A transaction shows in INNODB_TRX once it has read or written a table.
			case "mariadb" -> "SELECT p.ID FROM information_schema.PROCESSLIST p JOIN information_schema.INNODB_TRX t"
					+ " ON t.trx_mysql_thread_id = p.ID WHERE p.DB = DATABASE() AND p.ID <> CONNECTION_ID()";
			// A session shows as in a transaction once it has written.
			default -> "SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()"
					+ " AND CONTAINS_UNCOMMITTED";
		};
	}

}
