package io.mutationhooks.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Configuration of mutation hooks, under {@value #PREFIX}. Not strict itself, since the sub-trees of the other
 * properties classes sit under its prefix: {@link UnknownPropertiesCheck} fails start-up on unknown properties.
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

	private final Jdbc jdbc = new Jdbc();

	private final Metrics metrics = new Metrics();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Logging getLogging() {
		return this.logging;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Metrics getMetrics() {
		return this.metrics;
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

	/** The starter's own tables. */
	public static class Jdbc {

		/**
		 * When to create the starter's tables (db-scheduler's scheduled_tasks, or the table db-scheduler.table-name
		 * names, for durable effects; the S3 sync's leases) from its schema files: on embedded databases only, always,
		 * or never (when Flyway or Liquibase create them).
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/** Micrometer observations and meters, when the application has Micrometer. */
	public static class Metrics {

		/**
		 * Whether hooked writes are observed and effects and sweeps are measured with Micrometer, when the application
		 * has an ObservationRegistry or a MeterRegistry bean.
		 */
		private boolean enabled = true;

		/**
		 * How long the effect gauges use the backlog's counts before reading them again (one read for all gauges).
		 * Positive: each read scans the whole backlog.
		 */
		private Duration backlogRefreshInterval = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getBacklogRefreshInterval() {
			return this.backlogRefreshInterval;
		}

		public void setBacklogRefreshInterval(Duration backlogRefreshInterval) {
			this.backlogRefreshInterval = backlogRefreshInterval;
		}

	}

}
