package io.mutationhooks.actuator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectStatus;

/**
 * The {@code mutationhooks} health indicator: the durable effects' backlog as details (how many effects are pending,
 * running, retrying and parked, and how old the oldest unfinished one is), UP unless a threshold the user set is
 * exceeded. A parked effect alone is a matter for alerts, not a reason for a load balancer to drop the instance: the
 * backlog is shared by every instance on the database, so a status other than UP would drop them all.
 * <p>
 * The backlog is read at most once per {@code cacheTimeToLive}: a read visits every stored effect.
 */
public class MutationHooksHealthIndicator extends AbstractHealthIndicator {

	private final EffectBacklog backlog;

	private final Thresholds thresholds;

	private final Duration cacheTimeToLive;

	private final Clock clock;

	private volatile Read lastRead;

	/**
	 * @param backlog the effects' backlog
	 * @param thresholds when the indicator reports another status than UP
	 * @param cacheTimeToLive how long one read of the backlog answers health checks; zero to read it every time
	 * @param clock tells the age of effects and of the last read
	 */
	public MutationHooksHealthIndicator(EffectBacklog backlog, Thresholds thresholds, Duration cacheTimeToLive,
			Clock clock) {
		super("Could not read the durable effects' backlog");
		this.backlog = Objects.requireNonNull(backlog, "backlog must not be null");
		this.thresholds = Objects.requireNonNull(thresholds, "thresholds must not be null");
		if (cacheTimeToLive == null || cacheTimeToLive.isNegative()) {
			throw new IllegalArgumentException("cacheTimeToLive must not be negative, not " + cacheTimeToLive);
		}
		this.cacheTimeToLive = cacheTimeToLive;
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant now = this.clock.instant();
		List<EffectCount> counts = summary(now);
		Map<EffectStatus, Long> totals = new EnumMap<>(EffectStatus.class);
		for (EffectStatus status : EffectStatus.values()) {
			totals.put(status, 0L);
		}
		Instant oldestPending = null;
		for (EffectCount count : counts) {
			totals.merge(count.status(), count.count(), Long::sum);
			if (count.status() != EffectStatus.PARKED && count.oldestRequestedAt() != null
					&& (oldestPending == null || count.oldestRequestedAt().isBefore(oldestPending))) {
				oldestPending = count.oldestRequestedAt();
			}
		}
		Duration oldestPendingAge = oldestPending != null ? Duration.between(oldestPending, now) : null;
		List<String> exceeded = this.thresholds.exceeded(totals.get(EffectStatus.PARKED), oldestPendingAge);
		builder.status(exceeded.isEmpty() ? Status.UP : this.thresholds.statusWhenExceeded());
		builder.withDetail("pending", totals.get(EffectStatus.PENDING))
			.withDetail("running", totals.get(EffectStatus.RUNNING))
			.withDetail("retrying", totals.get(EffectStatus.RETRYING))
			.withDetail("parked", totals.get(EffectStatus.PARKED));
		if (oldestPending != null) {
			builder.withDetail("oldestPendingRequestedAt", oldestPending.toString())
				.withDetail("oldestPendingAge", oldestPendingAge.toString());
		}
		if (!exceeded.isEmpty()) {
			builder.withDetail("exceeded", exceeded);
		}
	}

	private List<EffectCount> summary(Instant now) {
		Read read = this.lastRead;
		if (read == null || !now.isBefore(read.at().plus(this.cacheTimeToLive))) {
			// Two checks at once may both read: cheaper than holding every check on a lock while one reads.
			read = new Read(now, this.backlog.summary());
			this.lastRead = read;
		}
		return read.counts();
	}

	private record Read(Instant at, List<EffectCount> counts) {
	}

	/**
	 * When the indicator reports {@code statusWhenExceeded} instead of UP.
	 * @param parked how many parked effects are too many, {@literal null} for no limit: exceeded when more are
	 * parked
	 * @param oldestPending how old the oldest unfinished effect (pending, running or retrying) may grow,
	 * {@literal null} for no limit: exceeded when it is older
	 * @param statusWhenExceeded the status then
	 */
	public record Thresholds(Long parked, Duration oldestPending, Status statusWhenExceeded) {

		public Thresholds {
			if (parked != null && parked < 0) {
				throw new IllegalArgumentException("parked must not be negative, not " + parked);
			}
			if (oldestPending != null && oldestPending.isNegative()) {
				throw new IllegalArgumentException("oldestPending must not be negative, not " + oldestPending);
			}
			Objects.requireNonNull(statusWhenExceeded, "statusWhenExceeded must not be null");
		}

		/** No threshold: always UP. */
		public static Thresholds none() {
			return new Thresholds(null, null, Status.DOWN);
		}

		/** What is over its threshold, each as a sentence. */
		List<String> exceeded(long parkedCount, Duration oldestPendingAge) {
			List<String> exceeded = new ArrayList<>();
			if (this.parked != null && parkedCount > this.parked) {
				exceeded.add(parkedCount + " parked effect(s), more than the threshold of " + this.parked);
			}
			if (this.oldestPending != null && oldestPendingAge != null && oldestPendingAge.compareTo(this.oldestPending) > 0) {
				exceeded.add("the oldest pending effect was requested " + oldestPendingAge + " ago, longer than the "
						+ "threshold of " + this.oldestPending);
			}
			return exceeded;
		}

	}

}
