package io.mutationhooks.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the {@code mutationhooks} health indicator, under {@value #PREFIX}. Without a threshold it is UP,
 * with the durable effects' backlog as details.
 */
@ConfigurationProperties(prefix = MutationHooksHealthProperties.PREFIX, ignoreUnknownFields = false)
public class MutationHooksHealthProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "mutation-hooks.health";

	/**
	 * How many parked effects the indicator tolerates: with more, it reports status-when-exceeded. No limit by
	 * default; 0 for none at all.
	 */
	private Long parkedThreshold;

	/**
	 * How old the oldest effect not done yet and not parked (pending, running or retrying) may grow, from its
	 * request: when older, the indicator reports status-when-exceeded. No limit by default.
	 */
	private Duration oldestPendingThreshold;

	/**
	 * The status the indicator reports when a threshold is exceeded: DOWN, OUT_OF_SERVICE, or a status of your own
	 * (give it a place in management.endpoint.health.status.order and an HTTP status in
	 * management.endpoint.health.status.http-mapping).
	 */
	private String statusWhenExceeded = "DOWN";

	/** How long one read of the effect backlog answers health checks before the next check reads it again. */
	private Duration cacheTimeToLive = Duration.ofSeconds(10);

	public Long getParkedThreshold() {
		return this.parkedThreshold;
	}

	public void setParkedThreshold(Long parkedThreshold) {
		this.parkedThreshold = parkedThreshold;
	}

	public Duration getOldestPendingThreshold() {
		return this.oldestPendingThreshold;
	}

	public void setOldestPendingThreshold(Duration oldestPendingThreshold) {
		this.oldestPendingThreshold = oldestPendingThreshold;
	}

	public String getStatusWhenExceeded() {
		return this.statusWhenExceeded;
	}

	public void setStatusWhenExceeded(String statusWhenExceeded) {
		this.statusWhenExceeded = statusWhenExceeded;
	}

	public Duration getCacheTimeToLive() {
		return this.cacheTimeToLive;
	}

	public void setCacheTimeToLive(Duration cacheTimeToLive) {
		this.cacheTimeToLive = cacheTimeToLive;
	}

}
