package io.mutationhooks.s3;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import io.mutationhooks.metrics.SweepMetrics;
import io.mutationhooks.s3.sweep.DanglingReferences;
import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a meter registry, the starter's sweeper and dangling references report count what each run found, per
 * bucket, and keep the duration of the last sweep.
 */
@Import(SweepMetricsIntegrationTests.Meters.class)
@TestPropertySource(properties = { "mutation-hooks.s3.buckets.avatars.prefix=app/",
		"mutation-hooks.s3.buckets.avatars.sweep.enabled=true",
		"mutation-hooks.s3.buckets.avatars.sweep.grace-period=0s" })
class SweepMetricsIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	MeterRegistry meters;

	@Autowired
	OrphanSweeper sweeper;

	@Autowired
	DanglingReferences danglingReferences;

	@BeforeEach
	void noSweepsYet() {
		this.jdbc.update("DELETE FROM mutation_hooks_s3_sweep");
		this.jdbc.update("DELETE FROM mutation_hooks_s3_sweep_report");
	}

	@Test
	void aDeletingSweepCountsWhatItScannedAndDeletedAndTimesTheRun() {
		put(AVATARS, "app/kept.png");
		insertMember("kept", "app/kept.png");
		put(AVATARS, "app/orphan.png");

		SweepReport report = this.sweeper.sweep(AVATARS, SweepMode.DELETE);

		assertThat(report.orphans()).isEqualTo(1);
		assertThat(counter(SweepMetrics.SCANNED)).isEqualTo(2);
		assertThat(counter(SweepMetrics.SPARED)).isZero();
		assertThat(this.meters.get(SweepMetrics.ORPHANS).tags("bucket", AVATARS, "action", "deleted").counter().count())
			.isEqualTo(1);
		assertThat(this.meters.get(SweepMetrics.DURATION)
			.tags("bucket", AVATARS, "mode", "delete", "outcome", "complete")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meters.get(SweepMetrics.LAST_DURATION).tag("bucket", AVATARS).timeGauge().value())
			.isEqualTo((double) report.duration().toNanos() / 1e9);
	}

	@Test
	void aDanglingReferencesReportCountsWhatItFound() {
		put(AVATARS, "app/there.png");
		insertMember("there", "app/there.png");
		insertMember("lost", "app/lost.png");

		this.danglingReferences.report(AVATARS);

		assertThat(counter(SweepMetrics.DANGLING_CHECKED)).isEqualTo(2);
		assertThat(this.meters.get(SweepMetrics.DANGLING_FOUND).tags("bucket", AVATARS, "status", "dangling")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.meters.get(SweepMetrics.DANGLING_LAST).tags("bucket", AVATARS, "status", "dangling")
			.gauge()
			.value()).isEqualTo(1);
		assertThat(this.meters.get(SweepMetrics.DANGLING_LAST).tags("bucket", AVATARS, "status", "unknown")
			.gauge()
			.value()).isZero();
	}

	private double counter(String name) {
		return this.meters.get(name).tag("bucket", AVATARS).counter().count();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
