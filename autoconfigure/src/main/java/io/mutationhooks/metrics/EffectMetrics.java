package io.mutationhooks.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectListener;
import io.mutationhooks.effects.EffectStatus;

/**
 * Meters of durable effects, per effect name: how many are stored in each status and how old the oldest of each is
 * (gauges read from {@link EffectBacklog#summary()}, at most once per refresh interval however many gauges a scrape
 * reads), how each attempt ended, and how long effects take from their transaction's commit to done.
 */
public final class EffectMetrics implements EffectListener {

	/** Gauge: the stored effects of an effect name in a status. Tags {@code effect}, {@code status}. */
	public static final String STORED = "mutation.hooks.effects.stored";

	/** Time gauge: the age of the oldest stored effect of a name in a status, 0 if none. Tags {@code effect}, {@code status}. */
	public static final String OLDEST = "mutation.hooks.effects.oldest";

	/** Counter: attempts, by how they ended. Tags {@code effect}, {@code outcome}. */
	public static final String ATTEMPTS = "mutation.hooks.effects.attempts";

	/**
	 * Timer: from an effect's transaction's commit (it is stored just before it) to its last payload handled. Tag
	 * {@code effect}.
	 */
	public static final String DONE = "mutation.hooks.effects.done";

	/** The effect name of stored records that cannot be read. */
	static final String UNKNOWN = "unknown";

	private static final Logger logger = LoggerFactory.getLogger(EffectMetrics.class);

	private final MeterRegistry registry;

	private final EffectBacklog backlog;

	private final Duration refreshInterval;

	private final Clock clock;

	private final Set<String> registered = ConcurrentHashMap.newKeySet();

	private final Map<String, Timer> doneTimers = new ConcurrentHashMap<>();

	private final Map<String, Counter> attemptCounters = new ConcurrentHashMap<>();

	private final Object refreshing = new Object();

	private volatile Snapshot snapshot;

	/**
	 * Registers the gauges and counters of {@code effects} at once (so they show 0 before anything happens), and
	 * those of any other name when the backlog first shows it.
	 * @param registry where the meters go
	 * @param backlog the stored effects
	 * @param effects the names of the effects this application handles
	 * @param refreshInterval how long the backlog's counts are used before a gauge reads them again
	 * @param clock tells the age of effects and when the counts are stale
	 */
	public EffectMetrics(MeterRegistry registry, EffectBacklog backlog, Collection<String> effects,
			Duration refreshInterval, Clock clock) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.backlog = Objects.requireNonNull(backlog, "backlog must not be null");
		this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval must not be null");
		if (refreshInterval.isNegative() || refreshInterval.isZero()) {
			throw new IllegalArgumentException("refreshInterval must be positive, not " + refreshInterval);
		}
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		effects.forEach(this::register);
	}

	@Override
	public void attempted(String effect, AttemptOutcome outcome) {
		register(effect);
		this.attemptCounters.computeIfAbsent(attemptKey(effect, outcome), key -> attempts(effect, outcome)).increment();
	}

	@Override
	public void done(String effect, Duration sinceRequested) {
		register(effect);
		this.doneTimers.computeIfAbsent(effect, this::doneTimer).record(sinceRequested);
	}

	/** Registers the meters of {@code effect}, once. */
	private void register(String effect) {
		if (!this.registered.add(effect)) {
			return;
		}
		for (EffectStatus status : EffectStatus.values()) {
			String statusTag = status.name().toLowerCase(Locale.ROOT);
			Gauge.builder(STORED, this, metrics -> metrics.count(effect, status))
				.description("Stored effects of this name in this status")
				.tags("effect", effect, "status", statusTag)
				.strongReference(true)
				.register(this.registry);
			TimeGauge.builder(OLDEST, this, TimeUnit.SECONDS, metrics -> metrics.oldestAgeSeconds(effect, status))
				.description("Age of the oldest stored effect of this name in this status, from its request; 0 if none")
				.tags("effect", effect, "status", statusTag)
				.strongReference(true)
				.register(this.registry);
		}
		for (AttemptOutcome outcome : AttemptOutcome.values()) {
			this.attemptCounters.computeIfAbsent(attemptKey(effect, outcome), key -> attempts(effect, outcome));
		}
		this.doneTimers.computeIfAbsent(effect, this::doneTimer);
	}

	private Counter attempts(String effect, AttemptOutcome outcome) {
		return Counter.builder(ATTEMPTS)
			.description("Attempts to run a stored effect, by how they ended")
			.tags("effect", effect, "outcome", outcome.value())
			.register(this.registry);
	}

	private Timer doneTimer(String effect) {
		return Timer.builder(DONE)
			.description("Time from an effect's request to its last payload handled")
			.tags("effect", effect)
			.register(this.registry);
	}

	private static String attemptKey(String effect, AttemptOutcome outcome) {
		return effect + '\u0000' + outcome.name();
	}

	private double count(String effect, EffectStatus status) {
		EffectCount count = current().of(effect, status);
		return count != null ? count.count() : 0;
	}

	private double oldestAgeSeconds(String effect, EffectStatus status) {
		EffectCount count = current().of(effect, status);
		if (count == null || count.oldestRequestedAt() == null) {
			return 0;
		}
		Duration age = Duration.between(count.oldestRequestedAt(), this.clock.instant());
		return age.isNegative() ? 0 : age.toNanos() / 1e9;
	}

	/** The counts, read again if older than the refresh interval: one read for all the gauges of a scrape. */
	private Snapshot current() {
		Snapshot current = this.snapshot;
		if (current != null && !current.staleAt(this.clock.instant(), this.refreshInterval)) {
			return current;
		}
		synchronized (this.refreshing) {
			current = this.snapshot;
			Instant now = this.clock.instant();
			if (current == null || current.staleAt(now, this.refreshInterval)) {
				current = read(current, now);
				this.snapshot = current;
			}
			return current;
		}
	}

	private Snapshot read(Snapshot previous, Instant now) {
		List<EffectCount> counts;
		try {
			counts = this.backlog.summary();
		}
		catch (RuntimeException ex) {
			// Kept until the next refresh: a database that is away is not asked once per gauge.
			logger.warn("Could not count the stored effects for their gauges; they show the last counts read", ex);
			return new Snapshot(previous != null ? previous.counts : Map.of(), now);
		}
		Map<String, Map<EffectStatus, EffectCount>> byEffect = new HashMap<>();
		for (EffectCount count : counts) {
			String effect = count.effect() != null ? count.effect() : UNKNOWN;
			byEffect.computeIfAbsent(effect, key -> new EnumMap<>(EffectStatus.class)).merge(count.status(), count,
					EffectMetrics::merge);
		}
		byEffect.keySet().forEach(this::register);
		return new Snapshot(byEffect, now);
	}

	private static EffectCount merge(EffectCount one, EffectCount other) {
		Instant oldest = one.oldestRequestedAt() == null ? other.oldestRequestedAt()
				: other.oldestRequestedAt() == null || one.oldestRequestedAt().isBefore(other.oldestRequestedAt())
						? one.oldestRequestedAt() : other.oldestRequestedAt();
		return new EffectCount(one.effect(), one.status(), one.count() + other.count(), oldest);
	}

	/** The counts of one read of the backlog, and when it was read. */
	private record Snapshot(Map<String, Map<EffectStatus, EffectCount>> counts, Instant readAt) {

		EffectCount of(String effect, EffectStatus status) {
			Map<EffectStatus, EffectCount> statuses = this.counts.get(effect);
			return statuses != null ? statuses.get(status) : null;
		}

		boolean staleAt(Instant now, Duration refreshInterval) {
			return !now.isBefore(this.readAt.plus(refreshInterval));
		}

	}

}
