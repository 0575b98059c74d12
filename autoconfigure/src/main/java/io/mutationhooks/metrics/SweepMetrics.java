package io.mutationhooks.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import io.mutationhooks.s3.sweep.DanglingReport;
import io.mutationhooks.s3.sweep.SweepListener;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

/**
 * Meters of the orphan sweeper and of the look for dangling references, per bucket binding: tagged {@code binding}
 * (its name in configuration, {@code mutation-hooks.s3.buckets.<binding>}) and {@code bucket} (its real name in S3,
 * which two bindings may share), counted from their reports as each run ends.
 */
public final class SweepMetrics implements SweepListener {

	/** Counter: keys listed by sweeps. Tags {@code binding}, {@code bucket}. */
	public static final String SCANNED = "mutation.hooks.sweep.scanned";

	/**
	 * Counter: keys no row refers to, spared because younger than the grace period. Tags {@code binding},
	 * {@code bucket}.
	 */
	public static final String SPARED = "mutation.hooks.sweep.spared";

	/**
	 * Counter: orphans found, by what was done with them: {@code deleted}, {@code quarantined} (requested from their
	 * effect) or {@code kept} (a dry run). Tags {@code binding}, {@code bucket}, {@code action}.
	 */
	public static final String ORPHANS = "mutation.hooks.sweep.orphans";

	/** Counter: keys left alone because the starter never deletes such a key. Tags {@code binding}, {@code bucket}. */
	public static final String FAILED = "mutation.hooks.sweep.failed";

	/**
	 * Timer: sweep runs. Tags {@code binding}, {@code bucket}, {@code mode}, {@code outcome} ({@code complete} or
	 * {@code stopped}).
	 */
	public static final String DURATION = "mutation.hooks.sweep.duration";

	/** Time gauge: how long the last sweep run of a bucket took. Tags {@code binding}, {@code bucket}. */
	public static final String LAST_DURATION = "mutation.hooks.sweep.last.duration";

	/** Counter: references read by looks for dangling references. Tags {@code binding}, {@code bucket}. */
	public static final String DANGLING_CHECKED = "mutation.hooks.dangling.checked";

	/**
	 * Counter: references found dangling ({@code dangling}) or that S3 could not be asked about ({@code unknown}).
	 * Tags {@code binding}, {@code bucket}, {@code status}.
	 */
	public static final String DANGLING_FOUND = "mutation.hooks.dangling.found";

	/**
	 * Gauge: what the last look for dangling references of a bucket found. Tags {@code binding}, {@code bucket},
	 * {@code status}.
	 */
	public static final String DANGLING_LAST = "mutation.hooks.dangling.last";

	private final MeterRegistry registry;

	private final Map<Binding, AtomicLong> lastDurations = new ConcurrentHashMap<>();

	private final Map<LastFound, AtomicLong> lastDangling = new ConcurrentHashMap<>();

	/**
	 * @param registry where the meters go
	 */
	public SweepMetrics(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void swept(SweepReport report) {
		Binding binding = new Binding(report.bucket(),
				report.bucketName() != null ? report.bucketName() : report.bucket());
		counter(SCANNED, "Keys listed by sweeps", binding).increment(report.scanned());
		counter(SPARED, "Unreferenced keys spared because younger than the grace period", binding)
			.increment(report.young());
		Counter.builder(ORPHANS)
			.description("Orphans found by sweeps, by what was done with them")
			.tags(binding.tags().and("action", action(report.mode())))
			.register(this.registry)
			.increment(report.orphans());
		counter(FAILED, "Keys sweeps left alone because the starter never deletes such a key", binding)
			.increment(report.failed());
		Timer.builder(DURATION)
			.description("Sweep runs")
			.tags(binding.tags().and("mode", report.mode().toString(), "outcome",
					report.complete() ? "complete" : "stopped"))
			.register(this.registry)
			.record(report.duration());
		this.lastDurations.computeIfAbsent(binding, this::lastDuration).set(report.duration().toNanos());
	}

	@Override
	public void reported(DanglingReport report) {
		Binding binding = new Binding(report.binding(), report.bucket());
		counter(DANGLING_CHECKED, "References read by looks for dangling references", binding)
			.increment(report.checked());
		dangling(binding, "dangling").increment(report.dangling());
		dangling(binding, "unknown").increment(report.unknown());
		last(binding, "dangling").set(report.dangling());
		last(binding, "unknown").set(report.unknown());
	}

	private Counter counter(String name, String description, Binding binding) {
		return Counter.builder(name).description(description).tags(binding.tags()).register(this.registry);
	}

	private Counter dangling(Binding binding, String status) {
		return Counter.builder(DANGLING_FOUND)
			.description("References found dangling, or that S3 could not be asked about")
			.tags(binding.tags().and("status", status))
			.register(this.registry);
	}

	private AtomicLong last(Binding binding, String status) {
		return this.lastDangling.computeIfAbsent(new LastFound(binding, status), key -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(DANGLING_LAST, value, AtomicLong::get)
				.description("What the last look for dangling references of the bucket found")
				.tags(binding.tags().and("status", status))
				.strongReference(true)
				.register(this.registry);
			return value;
		});
	}

	private AtomicLong lastDuration(Binding binding) {
		AtomicLong nanos = new AtomicLong();
		TimeGauge.builder(LAST_DURATION, nanos, TimeUnit.NANOSECONDS, AtomicLong::get)
			.description("How long the last sweep run of the bucket took")
			.tags(binding.tags())
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

	/** A bucket binding: its name in configuration and its bucket's real name. */
	private record Binding(String name, String bucket) {

		Tags tags() {
			return Tags.of("binding", this.name, "bucket", this.bucket);
		}

	}

	private record LastFound(Binding binding, String status) {
	}

}
