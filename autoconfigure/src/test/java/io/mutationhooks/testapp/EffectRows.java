package io.mutationhooks.testapp;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * The rows of durable effects in db-scheduler's table, for tests: each test context runs one scheduler on a shared
 * database (the test context cache holds one context at a time, see spring.properties), so tests start from no effects
 * and wait for theirs to settle.
 */
public final class EffectRows {

	/** Parked effects wait here; every other row is pending, running or retrying. */
	private static final Timestamp PARKED_FROM = Timestamp.from(Instant.parse("9000-01-01T00:00:00Z"));

	private EffectRows() {
	}

	/** Deletes every effect, parked or not, so that a test starts from none. */
	public static void clear(JdbcTemplate jdbc) {
		jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'");
	}

	/** Every effect, parked or not. */
	public static long stored(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'",
				Long.class);
	}

	/** Effects not parked: pending, running or waiting for a retry. */
	public static long unsettled(JdbcTemplate jdbc) {
		return jdbc.queryForObject(
				"SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect' AND execution_time < ?",
				Long.class, PARKED_FROM);
	}

	/** Waits until every effect has run or is parked. */
	public static void awaitSettled(JdbcTemplate jdbc) {
		awaitSettled(jdbc, Duration.ofSeconds(20));
	}

	/** Waits up to {@code atMost} until every effect has run or is parked. */
	public static void awaitSettled(JdbcTemplate jdbc, Duration atMost) {
		await().atMost(atMost).until(() -> unsettled(jdbc) == 0);
	}

}
