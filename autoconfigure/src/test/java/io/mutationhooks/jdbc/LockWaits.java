package io.mutationhooks.jdbc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells, from a connection of its own, when a concurrent write has either finished or is waiting for a row lock, so
 * that concurrency tests can order two transactions by what the database does, not by sleeping.
 */
public final class LockWaits {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private LockWaits() {
	}

	/** Waits until {@code write} is done or some transaction of the test database waits for a lock. */
	public static void awaitDoneOrWaitingForLock(JdbcTemplate jdbc, Future<?> write) {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (!write.isDone() && waitingTransactions(jdbc) == 0) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the concurrent write neither finished nor waited for a lock within " + PATIENCE);
			}
			try {
				Thread.sleep(10);
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
			case "mariadb" -> "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'";
			default -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
		};
		Integer count = jdbc.queryForObject(sql, Integer.class);
		return count == null ? 0 : count;
	}

}
