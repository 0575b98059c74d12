package io.mutationhooks.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of mutation hooks, under {@value #PREFIX}.
 */
@ConfigurationProperties(MutationHooksProperties.PREFIX)
public class MutationHooksProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "mutation-hooks";

	/**
	 * Whether mutation hooks run around Spring Data JDBC writes. When false, nothing of the starter is configured.
	 */
	private boolean enabled = true;

	private final Logging logging = new Logging();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Logging getLogging() {
		return this.logging;
	}

	/** The built-in logging hook. */
	public static class Logging {

		/**
		 * Whether to log each write before and after it runs (entity type, operation, id, duration) at INFO on the
		 * io.mutationhooks.logging.LoggingHook logger.
		 */
		private boolean enabled = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
