package io.mutationhooks.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import io.mutationhooks.s3.sweep.DanglingReport;
import io.mutationhooks.s3.sweep.SweepListener;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

/**
 * Meters of the orphan sweeper and of the look for dangling references, per bucket (its real name in S3), counted
 * from their reports as each run ends.
 */
public final class SweepMetrics implements SweepListener {

	/** Counter: keys listed by sweeps. Tag {@code bucket}. */
	public static final String SCANNED = "mutation.hooks.sweep.scanned";

	/** Counter: keys no row refers to, spared because younger than the grace period. Tag {@code bucket}. */
	public static final String SPARED = "mutation.hooks.sweep.spared";

	/**
	 * Counter: orphans found, by what was done with them: {@code deleted}, {@code quarantined} (requested from their
	 * effect) or {@code kept} (a dry run). Tags {@code bucket}, {@code action}.
	 */
	public static final String ORPHANS = "mutation.hooks.sweep.orphans";

	/** Counter: keys left alone because the starter never deletes such a key. Tag {@code bucket}. */
	public static final String FAILED = "mutation.hooks.sweep.failed";

	/** Timer: sweep runs. Tags {@code bucket}, {@code mode}, {@code outcome} ({@code complete} or {@code stopped}). */
	public static final String DURATION = "mutation.hooks.sweep.duration";

	/** Time gauge: how long the last sweep run of a bucket took. Tag {@code bucket}. */
	public static final String LAST_DURATION = "mutation.hooks.sweep.last.duration";

	/** Counter: references read by looks for dangling references. Tag {@code bucket}. */
	public static final String DANGLING_CHECKED = "mutation.hooks.dangling.checked";

	/**
	 * Counter: references found dangling ({@code dangling}) or that S3 could not be asked about ({@code unknown}).
	 * Tags {@code bucket}, {@code status}.
	 */
	public static final String DANGLING_FOUND = "mutation.hooks.dangling.found";

	/** Gauge: what the last look for dangling references of a bucket found. Tags {@code bucket}, {@code status}. */
	public static final String DANGLING_LAST = "mutation.hooks.dangling.last";

	private final MeterRegistry registry;

	private final Map<String, AtomicLong> lastDurations = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> lastDangling = new ConcurrentHashMap<>();

	/**
	 * @param registry where the meters go
	 */
	public SweepMetrics(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void swept(SweepReport report) {
		String bucket = report.bucketName() != null ? report.bucketName() : report.bucket();
		counter(SCANNED, "Keys listed by sweeps", bucket).increment(report.scanned());
		counter(SPARED, "Unreferenced keys spared because younger than the grace period", bucket)
			.increment(report.young());
		Counter.builder(ORPHANS)
			.description("Orphans found by sweeps, by what was done with them")
			.tags("bucket", bucket, "action", action(report.mode()))
			.register(this.registry)
			.increment(report.orphans());
		counter(FAILED, "Keys sweeps left alone because the starter never deletes such a key", bucket)
			.increment(report.failed());
		Timer.builder(DURATION)
			.description("Sweep runs")
			.tags("bucket", bucket, "mode", report.mode().toString(), "outcome",
					report.complete() ? "complete" : "stopped")
			.register(this.registry)
			.record(report.duration());
		this.lastDurations.computeIfAbsent(bucket, this::lastDuration).set(report.duration().toNanos());
	}

	@Override
	public void reported(DanglingReport report) {
		String bucket = report.bucket();
		counter(DANGLING_CHECKED, "References read by looks for dangling references", bucket)
			.increment(report.checked());
		dangling(bucket, "dangling").increment(report.dangling());
		dangling(bucket, "unknown").increment(report.unknown());
		last(bucket, "dangling").set(report.dangling());
		last(bucket, "unknown").set(report.unknown());
	}

	private Counter counter(String name, String description, String bucket) {
		return Counter.builder(name).description(description).tag("bucket", bucket).register(this.registry);
	}

	private Counter dangling(String bucket, String status) {
		return Counter.builder(DANGLING_FOUND)
			.description("References found dangling, or that S3 could not be asked about")
			.tags("bucket", bucket, "status", status)
			.register(this.registry);
	}

	private AtomicLong last(String bucket, String status) {
		return this.lastDangling.computeIfAbsent(bucket + '\u0000' + status, key -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(DANGLING_LAST, value, AtomicLong::get)
				.description("What the last look for dangling references of the bucket found")
				.tags("bucket", bucket, "status", status)
				.strongReference(true)
				.register(this.registry);
			return value;
		});
	}

	private AtomicLong lastDuration(String bucket) {
		AtomicLong nanos = new AtomicLong();
		TimeGauge.builder(LAST_DURATION, nanos, TimeUnit.NANOSECONDS, AtomicLong::get)
			.description("How long the last sweep run of the bucket took")
			.tags("bucket", bucket)
			.strongReference(true)
			.register(this.registry);
		return nanos;
	}

	private static String action(SweepMode mode) {
		return switch (mode) {
			case DRY_RUN -> "kept";
			case DELETE -> "deleted";
			case QUARANTINE -> "quarantined";
		};
	}

}
