package io.mutationhooks.metrics;

import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.mutationhooks.s3.sweep.DanglingReport;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sweep reports add up in counters per bucket (its real name), a stopped run is timed as stopped, the last run's
 * duration replaces the one before, and dangling references reports are counted and their last counts kept.
 */
class SweepMetricsUnitTests {

	private static final Instant START = Instant.parse("2026-01-01T03:00:00Z");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final SweepMetrics metrics = new SweepMetrics(this.registry);

	@Test
	void reportsAddUpPerBucketAndTheLastDurationIsTheLastRuns() {
		this.metrics.swept(report(SweepMode.QUARANTINE, true, 5_000, 100, 7, 3, 1));
		this.metrics.swept(report(SweepMode.DRY_RUN, false, 2_000, 50, 2, 4, 0));

		assertThat(this.registry.get(SweepMetrics.SCANNED).tag("bucket", "acme-avatars").counter().count())
			.isEqualTo(150);
		assertThat(this.registry.get(SweepMetrics.SPARED).tag("bucket", "acme-avatars").counter().count()).isEqualTo(9);
		assertThat(this.registry.get(SweepMetrics.FAILED).tag("bucket", "acme-avatars").counter().count()).isEqualTo(1);
		assertThat(this.registry.get(SweepMetrics.ORPHANS).tags("action", "quarantined").counter().count()).isEqualTo(3);
		assertThat(this.registry.get(SweepMetrics.ORPHANS).tags("action", "kept").counter().count()).isEqualTo(4);
		assertThat(this.registry.get(SweepMetrics.DURATION).tags("mode", "dry-run", "outcome", "stopped").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get(SweepMetrics.LAST_DURATION).tag("bucket", "acme-avatars").timeGauge().value())
			.isEqualTo(2.0);
	}

	@Test
	void danglingReportsAreCountedAndTheLastOneKept() {
		this.metrics.reported(new DanglingReport("avatars", "acme-avatars", 10, 3, 1, List.of(), List.of()));
		this.metrics.reported(new DanglingReport("avatars", "acme-avatars", 10, 2, 0, List.of(), List.of()));

		assertThat(this.registry.get(SweepMetrics.DANGLING_CHECKED).counter().count()).isEqualTo(20);
		assertThat(this.registry.get(SweepMetrics.DANGLING_FOUND).tag("status", "dangling").counter().count())
			.isEqualTo(5);
		assertThat(this.registry.get(SweepMetrics.DANGLING_LAST).tag("status", "dangling").gauge().value())
			.isEqualTo(2);
		assertThat(this.registry.get(SweepMetrics.DANGLING_LAST).tag("status", "unknown").gauge().value()).isZero();
	}

	@Test
	void twoBindingsOfOneRealBucketKeepMetersOfTheirOwn() {
		this.metrics.reported(new DanglingReport("docs", "acme-media", 40, 5, 0, List.of(), List.of()));
		this.metrics.reported(new DanglingReport("avatars", "acme-media", 10, 0, 0, List.of(), List.of()));
		this.metrics.swept(new SweepReport("run-1", "docs", "acme-media", SweepMode.DELETE, START,
				START.plusMillis(4_000), null, true, 100, 100, 0, 0, 0, 0, null));
		this.metrics.swept(new SweepReport("run-2", "avatars", "acme-media", SweepMode.DELETE, START,
				START.plusMillis(1_000), null, true, 10, 10, 0, 0, 0, 0, null));

		assertThat(this.registry.get(SweepMetrics.DANGLING_LAST)
			.tags("binding", "docs", "bucket", "acme-media", "status", "dangling")
			.gauge()
			.value()).as("not overwritten by the clean report of the other binding").isEqualTo(5);
		assertThat(this.registry.get(SweepMetrics.DANGLING_LAST).tags("binding", "avatars", "status", "dangling")
			.gauge()
			.value()).isZero();
		assertThat(this.registry.get(SweepMetrics.LAST_DURATION).tag("binding", "docs").timeGauge().value())
			.isEqualTo(4.0);
		assertThat(this.registry.get(SweepMetrics.SCANNED).tag("bucket", "acme-media").counters())
			.extracting(counter -> counter.getId().getTag("binding") + "=" + (long) counter.count())
			.containsExactlyInAnyOrder("docs=100", "avatars=10");
	}

	private static SweepReport report(SweepMode mode, boolean complete, long millis, long scanned, long young,
			long orphans, long failed) {
		return new SweepReport("run", "avatars", "acme-avatars", mode, START, START.plusMillis(millis), null, complete,
				scanned, scanned - young - orphans - failed, young, orphans, failed, 0, complete ? null : "S3 away");
	}

}
