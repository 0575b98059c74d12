package io.mutationhooks.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

import io.mutationhooks.actuator.MutationHooksHealthIndicator;
import io.mutationhooks.effects.EffectBacklog;

/**
 * The {@code mutationhooks} health indicator, when durable effects are on and Boot's health support is there
 * ({@code management.health.mutationhooks.enabled} switches it off): the effects' backlog as details, and a status
 * from the thresholds under {@value MutationHooksHealthProperties#PREFIX}.
 */
@AutoConfiguration(after = EffectsAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
		"org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnBean(EffectBacklog.class)
@EnableConfigurationProperties(MutationHooksHealthProperties.class)
public final class MutationHooksHealthContributorAutoConfiguration {

	/**
	 * Named so that the indicator is {@code mutationhooks} in the health endpoint. Its health condition is here, not
	 * on the class: Spring loads a class's conditions before it evaluates the first, so without Boot's health support
	 * the class's {@code @ConditionalOnClass} could not keep this one from failing.
	 */
	@Bean
	@ConditionalOnEnabledHealthIndicator("mutationhooks")
	@ConditionalOnMissingBean(name = { "mutationhooksHealthIndicator", "mutationhooksHealthContributor" })
	MutationHooksHealthIndicator mutationhooksHealthIndicator(EffectBacklog backlog,
			MutationHooksHealthProperties properties) {
		return new MutationHooksHealthIndicator(backlog, thresholds(properties),
				notNegative(MutationHooksHealthProperties.PREFIX + ".cache-time-to-live",
						properties.getCacheTimeToLive()),
				Clock.systemUTC());
	}

	static MutationHooksHealthIndicator.Thresholds thresholds(MutationHooksHealthProperties properties) {
		String prefix = MutationHooksHealthProperties.PREFIX;
		Long parked = properties.getParkedThreshold();
		if (parked != null && parked < 0) {
			throw new InvalidPropertyException(prefix + ".parked-threshold", parked, "it must not be negative",
					"Set " + prefix + ".parked-threshold to 0 or more (0: any parked effect exceeds it), or remove it "
							+ "for no limit.");
		}
		Duration oldest = properties.getOldestPendingThreshold();
		if (oldest != null) {
			PropertyChecks.requirePositive(prefix + ".oldest-pending-threshold", oldest);
		}
		String status = properties.getStatusWhenExceeded();
		if (status == null || status.isBlank()) {
			throw new InvalidPropertyException(prefix + ".status-when-exceeded", status, "it must name a status",
					"Set " + prefix + ".status-when-exceeded to DOWN, OUT_OF_SERVICE or a status of your own.");
		}
		return new MutationHooksHealthIndicator.Thresholds(parked, oldest,
				new Status(status.strip().toUpperCase(Locale.ROOT)));
	}

	private static Duration notNegative(String property, Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidPropertyException(property, value, "it must not be negative",
					"Set " + property + " to 0s (read the backlog on every check) or more, such as 10s.");
		}
		return value;
	}

}
