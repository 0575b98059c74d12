package io.mutationhooks.s3.sweep;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.transaction.support.TransactionOperations;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.DatabaseClock;

/**
 * The orphan sweeper's two tables in the application's database (created by
 * {@code io/mutationhooks/s3/schema-<database>.sql}): {@value #PROGRESS}, a row per swept bucket with the last key
 * done by its current run and the run that holds it, and {@value #REPORTS}, the reports of the last runs. A run holds
 * its bucket while it records progress: one whose last progress is older than the stale time (a process that died)
 * can be taken over. Every time of the progress row is the database's clock; a report's times are the sweeping JVM's,
 * in milliseconds since the epoch.
 */
public final class SweepStore {

	static final String PROGRESS = "mutation_hooks_s3_sweep";

	static final String REPORTS = "mutation_hooks_s3_sweep_report";

	/** The width of the reports' {@code error} column: a longer error is cut to it. */
	static final int ERROR_CHARS = 2000;

	/** The width of the reports' {@code bucket_name} column, room for an access point's ARN: a longer name is cut. */
	static final int BUCKET_NAME_CHARS = 255;

	private static final String CUT = "...(cut)";

	private final NamedParameterJdbcOperations jdbc;

	private final TransactionOperations ownTransaction;

	private final DatabaseClock clock;

	/**
	 * @param jdbc the application's database
	 * @param dialect its dialect, which tells how to read its clock
	 * @param ownTransaction runs each step that is not part of a page in a new transaction on {@code jdbc}'s
	 * database, committed when it returns
	 */
	public SweepStore(NamedParameterJdbcOperations jdbc, Dialect dialect, TransactionOperations ownTransaction) {
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc must not be null");
		this.ownTransaction = Objects.requireNonNull(ownTransaction, "ownTransaction must not be null");
		this.clock = DatabaseClock.of(dialect);
	}

	/**
	 * Makes {@code runId} the run of {@code bucket}, unless another run holds it and has recorded progress within
	 * {@code staleAfter}.
	 * @return where the run starts: after the last key done by an interrupted run of the same mode, or at the
	 * beginning; empty if another run holds the bucket
	 */
	Optional<Start> begin(String bucket, String runId, SweepMode mode, Duration staleAfter) {
		Map<String, Object> row = Map.of("bucket", bucket);
		if (this.jdbc.queryForObject("SELECT COUNT(*) FROM " + PROGRESS + " WHERE bucket = :bucket", row,
				Long.class) == 0) {
			try {
				this.ownTransaction.executeWithoutResult(status -> this.jdbc
					.update("INSERT INTO " + PROGRESS + " (bucket) VALUES (:bucket)", row));
			}
			catch (DuplicateKeyException ex) {
				// another instance added it first
			}
		}
		return this.ownTransaction.execute(status -> {
			Map<String, Object> run = Map.of("bucket", bucket, "run", runId, "stale", -staleAfter.toMillis(), "mode",
					mode.name());
			int held = this.jdbc.update("UPDATE " + PROGRESS + " SET run_id = :run, heartbeat_at = " + this.clock.now()
					+ " WHERE bucket = :bucket AND (run_id IS NULL OR heartbeat_at < " + this.clock.plusMillis("stale")
					+ ")", run);
			if (held == 0) {
				return Optional.<Start>empty();
			}
			Map<String, Object> progress = this.jdbc.queryForMap(
					"SELECT run_mode, last_key FROM " + PROGRESS + " WHERE bucket = :bucket", row);
			if (mode.name().equals(progress.get("run_mode"))) {
				return Optional.of(new Start((String) progress.get("last_key")));
			}
			this.jdbc.update("UPDATE " + PROGRESS + " SET run_mode = :mode, last_key = NULL WHERE bucket = :bucket",
					run);
			return Optional.of(new Start(null));
		});
	}

	/**
	 * Records that {@code runId} has done every key up to {@code lastKey}, in the caller's transaction, with the
	 * effects the page requested.
	 * @return false if the run does not hold the bucket any more (it was taken over as stale)
	 */
	boolean advance(String bucket, String runId, String lastKey) {
		return this.jdbc.update("UPDATE " + PROGRESS + " SET last_key = :key, heartbeat_at = " + this.clock.now()
				+ " WHERE bucket = :bucket AND run_id = :run", Map.of("bucket", bucket, "run", runId, "key", lastKey)) == 1;
	}

	/**
	 * Lets go of the bucket: a run that went through the listing leaves no progress; one that did not keeps its last
	 * key, for the next run of its mode to go on after it.
	 */
	void end(String bucket, String runId, boolean complete) {
		String forget = complete ? ", run_mode = NULL, last_key = NULL" : "";
		this.ownTransaction.executeWithoutResult(status -> this.jdbc.update("UPDATE " + PROGRESS
				+ " SET run_id = NULL, heartbeat_at = NULL" + forget + " WHERE bucket = :bucket AND run_id = :run",
				Map.of("bucket", bucket, "run", runId)));
	}

	/** Stores {@code report}, and keeps only the last {@code kept} reports of its bucket. */
	void save(SweepReport report, int kept) {
		Map<String, Object> row = new HashMap<>();
		row.put("run", report.runId());
		row.put("bucket", report.bucket());
		row.put("name", fit(report.bucketName(), BUCKET_NAME_CHARS));
		row.put("mode", report.mode().name());
		row.put("started", report.startedAt().toEpochMilli());
		row.put("ended", report.endedAt().toEpochMilli());
		row.put("resumed", report.resumedAfter());
		row.put("complete", report.complete());
		row.put("scanned", report.scanned());
		row.put("referenced", report.referenced());
		row.put("young", report.young());
		row.put("orphans", report.orphans());
		row.put("failed", report.failed());
		row.put("bytes", report.bytesReclaimed());
		row.put("error", report.error() == null ? null : fit(SafeText.message(report.error()), ERROR_CHARS));
		this.ownTransaction.executeWithoutResult(status -> {
			this.jdbc.update("INSERT INTO " + REPORTS + " (run_id, bucket, bucket_name, run_mode, started_epoch_ms, "
					+ "ended_epoch_ms, resumed_after, complete, scanned, referenced, young, orphans, failed, "
					+ "bytes_reclaimed, error) VALUES (:run, :bucket, :name, :mode, :started, :ended, :resumed, "
					+ ":complete, :scanned, :referenced, :young, :orphans, :failed, :bytes, :error)", row);
			List<String> newestFirst = this.jdbc.queryForList("SELECT run_id FROM " + REPORTS
					+ " WHERE bucket = :bucket ORDER BY ended_epoch_ms DESC, run_id DESC", row, String.class);
			if (newestFirst.size() > kept) {
				this.jdbc.update("DELETE FROM " + REPORTS + " WHERE run_id IN (:old)",
						Map.of("old", newestFirst.subList(kept, newestFirst.size())));
			}
		});
	}

	/**
	 * {@code text} cut to {@code chars} UTF-16 units at most, marked as cut, never between the two halves of a pair:
	 * no more characters than a column of that width holds on any of the databases, so the report's insert cannot fail
	 * for its length (escaping makes an error longer than {@link SafeText#message} cuts it to).
	 */
	static String fit(String text, int chars) {
		if (text.length() <= chars) {
			return text;
		}
		int end = chars - CUT.length();
		if (Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + CUT;
	}

	/** The last {@code limit} reports of {@code bucket}, the newest first. */
	List<SweepReport> lastReports(String bucket, int limit) {
		return this.jdbc.query("SELECT * FROM " + REPORTS + " WHERE bucket = :bucket ORDER BY ended_epoch_ms DESC, "
				+ "run_id DESC LIMIT " + limit, Map.of("bucket", bucket), (row, number) -> report(row));
	}

	private static SweepReport report(ResultSet row) throws SQLException {
		return new SweepReport(row.getString("run_id"), row.getString("bucket"), row.getString("bucket_name"),
				SweepMode.valueOf(row.getString("run_mode")), Instant.ofEpochMilli(row.getLong("started_epoch_ms")),
				Instant.ofEpochMilli(row.getLong("ended_epoch_ms")), row.getString("resumed_after"),
				row.getBoolean("complete"), row.getLong("scanned"), row.getLong("referenced"), row.getLong("young"),
				row.getLong("orphans"), row.getLong("failed"), row.getLong("bytes_reclaimed"), row.getString("error"));
	}

	/** @param startAfter the last key an interrupted run did, or {@literal null} to start at the beginning */
	record Start(String startAfter) {
	}

}
