package io.mutationhooks.s3;

import java.util.List;
import java.util.Random;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ends other clients' sessions on the shared database from the server's side, as a database restart, a fail-over or a
 * network cut does to them: PostgreSQL's {@code pg_terminate_backend}, MariaDB's {@code KILL CONNECTION}. The server
 * rolls back what the session had not committed; the client finds its connection closed at its next statement, or at
 * its commit. Only sessions in a transaction are chosen: a fault in the middle of one. Not H2: its
 * {@code ABORT_SESSION} of a session in a transaction closed the whole in-memory database, which is no such fault.
 */
final class DatabaseSessionKiller {

	private final String database;

	/** @param database {@code postgresql} or {@code mariadb}, as the profiles name them */
	DatabaseSessionKiller(String database) {
		if (!database.equals("postgresql") && !database.equals("mariadb")) {
			throw new IllegalArgumentException("Sessions are ended on PostgreSQL and MariaDB only, not " + database);
		}
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
				default -> jdbc.execute("KILL CONNECTION " + session);
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
			// A transaction shows in INNODB_TRX once it has read or written a table; a statement running alone is in
			// a transaction of its own.
			default -> "SELECT p.ID FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t"
					+ " ON t.trx_mysql_thread_id = p.ID WHERE p.DB = DATABASE() AND p.ID <> CONNECTION_ID()"
					+ " AND (t.trx_id IS NOT NULL OR p.COMMAND = 'Query')";
		};
	}

}
