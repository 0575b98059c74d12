package io.mutationhooks.actuator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.mutationhooks.actuator.MutationHooksHealthIndicator.Thresholds;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The health indicator reports the backlog as details and stays UP without thresholds, however many effects are
 * parked; a threshold exceeded gives the status the user chose, saying what exceeded it; the backlog is read once per
 * cache time.
 */
class MutationHooksHealthIndicatorUnitTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final StubEffectBacklog backlog = new StubEffectBacklog();

	private final MutableClock clock = new MutableClock(NOW);

	@Test
	void withoutThresholdsParkedEffectsLeaveItUpWithTheBacklogAsDetails() {
		this.backlog.set(count("crm-sync", EffectStatus.PENDING, 3, NOW.minusSeconds(90)),
				count("crm-sync", EffectStatus.RETRYING, 2, NOW.minusSeconds(600)),
				count("mutation-hooks.s3-delete", EffectStatus.PARKED, 7, NOW.minusSeconds(86_400)),
				count("mutation-hooks.s3-delete", EffectStatus.RUNNING, 1, NOW.minusSeconds(5)));

		Health health = indicator(Thresholds.none()).health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("pending", 3L)
			.containsEntry("running", 1L)
			.containsEntry("retrying", 2L)
			.containsEntry("parked", 7L)
			.as("the oldest of those not done and not parked: the retrying one")
			.containsEntry("oldestPendingRequestedAt", "2026-03-01T11:50:00Z")
			.containsEntry("oldestPendingAge", "PT10M")
			.doesNotContainKey("exceeded");
	}

	@Test
	void anEmptyBacklogIsUpWithZeroCountsAndNoAge() {
		Health health = indicator(Thresholds.none()).health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsExactlyInAnyOrderEntriesOf(
				Map.of("pending", 0L, "running", 0L, "retrying", 0L, "parked", 0L));
	}

	@Test
	void moreParkedEffectsThanTheThresholdGiveTheChosenStatusAndSaySo() {
		this.backlog.set(count("crm-sync", EffectStatus.PARKED, 2, NOW.minusSeconds(60)));

		assertThat(indicator(new Thresholds(2L, null, Status.DOWN)).health().getStatus()).as("at the threshold")
			.isEqualTo(Status.UP);
		Health health = indicator(new Thresholds(1L, null, Status.OUT_OF_SERVICE)).health();

		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("exceeded",
				List.of("2 parked effect(s), more than the threshold of 1"));
	}

	@Test
	void anOldestPendingEffectOlderThanTheThresholdGivesTheChosenStatusButAnOldParkedOneDoesNot() {
		this.backlog.set(count("crm-sync", EffectStatus.PARKED, 1, NOW.minus(Duration.ofDays(2))),
				count("crm-sync", EffectStatus.PENDING, 1, NOW.minus(Duration.ofMinutes(30))));
		Thresholds anHour = new Thresholds(null, Duration.ofHours(1), new Status("WARNING"));

		assertThat(indicator(anHour).health().getStatus()).isEqualTo(Status.UP);

		this.clock.set(NOW.plus(Duration.ofMinutes(31)));
		Health health = indicator(anHour).health();

		assertThat(health.getStatus()).isEqualTo(new Status("WARNING"));
		assertThat(health.getDetails()).containsEntry("oldestPendingAge", "PT1H1M").containsEntry("exceeded",
				List.of("the oldest pending effect was requested PT1H1M ago, longer than the threshold of PT1H"));
	}

	@Test
	void theBacklogIsReadOncePerCacheTime() {
		MutationHooksHealthIndicator indicator = new MutationHooksHealthIndicator(this.backlog, Thresholds.none(),
				Duration.ofSeconds(10), this.clock);
		this.backlog.set(count("crm-sync", EffectStatus.PARKED, 1, NOW));

		indicator.health();
		this.backlog.set(count("crm-sync", EffectStatus.PARKED, 4, NOW));
		this.clock.set(NOW.plusSeconds(9));
		Health cached = indicator.health();
		this.clock.set(NOW.plusSeconds(10));
		Health read = indicator.health();

		assertThat(cached.getDetails()).containsEntry("parked", 1L);
		assertThat(read.getDetails()).containsEntry("parked", 4L);
		assertThat(this.backlog.summaries()).isEqualTo(2);
	}

	@Test
	void aBacklogThatCannotBeReadIsDownWithTheError() {
		MutationHooksHealthIndicator indicator = new MutationHooksHealthIndicator(new StubEffectBacklog() {

			@Override
			public List<EffectCount> summary() {
				throw new IllegalStateException("database away");
			}

		}, Thresholds.none(), Duration.ZERO, this.clock);

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "java.lang.IllegalStateException: database away");
	}

	@Test
	void thresholdsRefuseNegativeValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Thresholds(-1L, null, Status.DOWN))
			.withMessage("parked must not be negative, not -1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Thresholds(null, Duration.ofSeconds(-1), Status.DOWN))
			.withMessage("oldestPending must not be negative, not PT-1S");
	}

	private MutationHooksHealthIndicator indicator(Thresholds thresholds) {
		return new MutationHooksHealthIndicator(this.backlog, thresholds, Duration.ZERO, this.clock);
	}

	private static EffectCount count(String effect, EffectStatus status, long count, Instant oldest) {
		return new EffectCount(effect, status, count, oldest);
	}

	/** A clock a test moves. */
	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
