package io.mutationhooks.effects;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Told how each run of a stored effect ended, to count and time effects (the starter's Micrometer meters are one
 * listener; declare a bean of this type to add your own). Called on the scheduler's thread once the outcome is
 * stored, so keep it quick; what it throws is logged and ignored.
 */
public interface EffectListener {

	/** Listens to nothing. */
	EffectListener NONE = new EffectListener() {
	};

	/**
	 * One attempt of a stored effect ended.
	 * @param effect the effect's name, or {@code unknown} for a stored record that cannot be read
	 * @param outcome how it ended
	 */
	default void attempted(String effect, AttemptOutcome outcome) {
	}

	/**
	 * A stored effect is done: the last of its payloads was handled and the effect removed.
	 * @param effect the effect's name
	 * @param sinceRequested from its request (in the requesting transaction, so before its commit) to now, retries and
	 * time parked included
	 */
	default void done(String effect, Duration sinceRequested) {
	}

	/**
	 * Every one of {@code listeners}, in order; {@link #NONE} if there is none.
	 * @param listeners the listeners
	 * @return one listener telling them all
	 */
	static EffectListener all(List<? extends EffectListener> listeners) {
		List<EffectListener> copy = List.copyOf(listeners);
		if (copy.isEmpty()) {
			return NONE;
		}
		if (copy.size() == 1) {
			return copy.get(0);
		}
		return new EffectListener() {

			@Override
			public void attempted(String effect, AttemptOutcome outcome) {
				copy.forEach(listener -> listener.attempted(effect, outcome));
			}

			@Override
			public void done(String effect, Duration sinceRequested) {
				copy.forEach(listener -> listener.done(effect, sinceRequested));
			}

		};
	}

	/** How one attempt of an effect ended. */
	enum AttemptOutcome {

		/** Every payload it ran was handled. */
		SUCCEEDED,

		/** Some or all of its payloads failed for now and run again after a backoff (others may have been parked). */
		RETRIED,

		/** Its failed payloads were parked: they failed for good, or too often, and none is retried. */
		PARKED;

		private final String value = name().toLowerCase(Locale.ROOT);

		/** {@code succeeded}, {@code retried} or {@code parked}. */
		public String value() {
			return this.value;
		}

	}

}
