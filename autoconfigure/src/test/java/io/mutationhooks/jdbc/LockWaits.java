package io.mutationhooks.jdbc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells, from a connection of its own, when a concurrent write has either finished or is waiting for a row lock, so
 * that concurrency tests can order two transactions by what the database does, not by sleeping.
 */
public final class LockWaits {

	private static final Duration PATIENCE = Duration.ofSeconds(15);

	private LockWaits() {
	}

	/**
	 * Waits until {@code write} is done or some transaction of the test database waits for a lock. Should neither be
	 * seen within {@link #PATIENCE}, it returns anyway: the tests that use it assert outcomes that must hold in either
	 * order, and the wait only makes the order that exposes a missing lock happen.
	 */
	public static void awaitDoneOrWaitingForLock(JdbcTemplate jdbc, Future<?> write) {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (!write.isDone() && waitingTransactions(jdbc) == 0 && System.nanoTime() < deadline) {
			try {
				// MariaDB refreshes information_schema.innodb_trx only after 0.1 s without a read of it.
				Thread.sleep(150);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted while waiting for the concurrent write", ex);
			}
		}
	}

	/**
	 * Asked on a thread of its own: the caller may be inside a transaction, whose connection would see a snapshot of
	 * the server's activity taken once per transaction (PostgreSQL's {@code pg_stat_activity}).
	 */
	private static int waitingTransactions(JdbcTemplate jdbc) {
		return CompletableFuture.supplyAsync(() -> waitingTransactionsNow(jdbc)).join();
	}

	private static int waitingTransactionsNow(JdbcTemplate jdbc) {
		String sql = switch (System.getProperty("mutation-hooks.test.database", "h2")) {
			case "postgresql" -> "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
					+ "AND datname = current_database()";
			case "mariadb" -> "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p "
					+ "ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()";
			default -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
		};
		Integer count;
		try {
			count = jdbc.queryForObject(sql, Integer.class);
		}
		catch (UncategorizedSQLException ex) {
			// H2 2.4 reads the other sessions without locking them: one that ends its transaction meanwhile fails the
			// query with an internal NullPointerException. Nobody is seen waiting this time; the next poll asks again.
			if (ex.getMessage() != null && ex.getMessage().contains("NullPointerException")
					&& sql.contains("INFORMATION_SCHEMA.SESSIONS")) {
				return 0;
			}
			throw ex;
		}
		return count == null ? 0 : count;
	}

}
