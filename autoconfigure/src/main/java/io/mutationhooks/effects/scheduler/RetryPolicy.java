package io.mutationhooks.effects.scheduler;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed effect is tried again: exponential backoff from {@code initialBackoff}, doubling, capped at
 * {@code maxBackoff}, with "equal jitter" (a random half of the wait) so that instances do not retry in step; parked
 * after {@code maxAttempts} attempts.
 * @param initialBackoff the wait after the first failure
 * @param maxBackoff the longest wait
 * @param maxAttempts attempts before parking
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {

	public RetryPolicy {
		if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
			throw new IllegalArgumentException("initialBackoff must be positive, not " + initialBackoff);
		}
		if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
	}

	/**
	 * @param attempts attempts made so far, at least 1
	 * @return the wait before the next attempt
	 */
	Duration backoff(int attempts) {
		long cap = this.maxBackoff.toMillis();
		long full = this.initialBackoff.toMillis() << Math.min(attempts - 1, 40);
		long wait = full <= 0 || full > cap ? cap : full;
		long half = wait / 2;
		return Duration.ofMillis(wait - half + ThreadLocalRandom.current().nextLong(half + 1));
	}

	boolean exhausted(int attempts) {
		return attempts >= this.maxAttempts;
	}

}
