package io.mutationhooks.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectRecord;
import io.mutationhooks.effects.EffectStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The effect gauges read the backlog's summary once per refresh interval however many of them a scrape reads, keep
 * the last counts while the backlog cannot be read, and register gauges for effect names the backlog shows.
 */
class EffectMetricsUnitTests {

	private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

	private final AtomicInteger summaries = new AtomicInteger();

	private volatile List<EffectCount> counts = List.of(
			new EffectCount("crm-sync", EffectStatus.PENDING, 3, NOW.minusSeconds(90)),
			new EffectCount("crm-sync", EffectStatus.PARKED, 1, NOW.minusSeconds(3600)));

	private volatile RuntimeException failure;

	private final MutableClock clock = new MutableClock(NOW);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final EffectMetrics metrics = new EffectMetrics(this.registry, new CountingBacklog(), List.of("crm-sync"),
			Duration.ofSeconds(30), this.clock);

	@Test
	void aScrapeOfEveryGaugeReadsTheBacklogOnce() {
		assertThat(scrape()).hasSize(8);

		assertThat(this.summaries).hasValue(1);
		assertThat(gauge(EffectMetrics.STORED, "pending")).isEqualTo(3);
		assertThat(gauge(EffectMetrics.STORED, "parked")).isEqualTo(1);
		assertThat(gauge(EffectMetrics.STORED, "running")).isZero();
		assertThat(gauge(EffectMetrics.OLDEST, "pending")).isEqualTo(90);
		assertThat(gauge(EffectMetrics.OLDEST, "parked")).isEqualTo(3600);
		assertThat(gauge(EffectMetrics.OLDEST, "retrying")).isZero();
		assertThat(this.summaries).hasValue(1);
	}

	@Test
	void theCountsAreReadAgainOnceTheIntervalHasPassedAndTheAgeGrowsInBetween() {
		scrape();
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(gauge(EffectMetrics.OLDEST, "pending")).isEqualTo(119);
		assertThat(this.summaries).hasValue(1);

		this.counts = List.of();
		this.clock.advance(Duration.ofSeconds(1));

		assertThat(gauge(EffectMetrics.STORED, "pending")).isZero();
		assertThat(this.summaries).hasValue(2);
	}

	@Test
	void aBacklogThatCannotBeReadLeavesTheLastCountsUntilTheNextInterval() {
		scrape();
		this.failure = new IllegalStateException("database away");
		this.clock.advance(Duration.ofSeconds(30));

		assertThat(scrape()).hasSize(8);
		assertThat(gauge(EffectMetrics.STORED, "pending")).isEqualTo(3);
		assertThat(this.summaries).hasValue(2);
	}

	@Test
	void anEffectNameOnlyTheBacklogKnowsGetsItsGauges() {
		this.counts = List.of(new EffectCount("legacy-export", EffectStatus.RETRYING, 2, NOW.minusSeconds(10)),
				new EffectCount(null, EffectStatus.PARKED, 1, null));

		scrape();

		assertThat(this.registry.get(EffectMetrics.STORED).tags("effect", "legacy-export", "status", "retrying")
			.gauge()
			.value()).isEqualTo(2);
		assertThat(this.registry.get(EffectMetrics.STORED).tags("effect", "unknown", "status", "parked")
			.gauge()
			.value()).isEqualTo(1);
		assertThat(this.registry.get(EffectMetrics.OLDEST).tags("effect", "unknown", "status", "parked")
			.timeGauge()
			.value()).isZero();
	}

	/** Reads every gauge of {@code crm-sync}, as a scrape would. */
	private List<Double> scrape() {
		return this.registry.getMeters()
			.stream()
			.filter(meter -> "crm-sync".equals(meter.getId().getTag("effect")))
			.filter(meter -> meter.getId().getType() == Meter.Type.GAUGE)
			.map(meter -> meter.measure().iterator().next().getValue())
			.toList();
	}

	private double gauge(String name, String status) {
		return this.registry.get(name).tags("effect", "crm-sync", "status", status).gauge().value();
	}

	private final class CountingBacklog implements EffectBacklog {

		@Override
		public List<EffectCount> summary() {
			EffectMetricsUnitTests.this.summaries.incrementAndGet();
			if (EffectMetricsUnitTests.this.failure != null) {
				throw EffectMetricsUnitTests.this.failure;
			}
			return EffectMetricsUnitTests.this.counts;
		}

		@Override
		public List<EffectRecord> list(EffectStatus status, int limit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean rerun(String id) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean discard(String id) {
			throw new UnsupportedOperationException();
		}

	}

	private static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
