package io.mutationhooks.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of durable effects, under {@value #PREFIX}. The engine under them is db-scheduler, configured under
 * {@code db-scheduler.*}; this starter changes some of its defaults (see the README).
 */
@ConfigurationProperties(prefix = EffectsProperties.PREFIX, ignoreUnknownFields = false)
public class EffectsProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "mutation-hooks.effects";

	/** Whether effects are stored and run durably on db-scheduler. */
	private boolean enabled = true;

	private final Retry retry = new Retry();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Retry getRetry() {
		return this.retry;
	}

	/** When a failed effect runs again. */
	public static class Retry {

		/** Wait after the first failure; doubled after each further one, with a random half of it as jitter. */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/** Longest wait between two attempts. */
		private Duration maxBackoff = Duration.ofMinutes(10);

		/**
		 * Attempts before an effect that keeps failing is parked. With the default backoffs, 50 attempts span about five
		 * hours, so an outage of a few hours heals by itself.
		 */
		private int maxAttempts = 50;

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

}
