package io.mutationhooks.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.scheduler.EffectHandlers;
import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.metrics.EffectMetrics;
import io.mutationhooks.metrics.MutationObservationConvention;
import io.mutationhooks.metrics.MutationObservations;
import io.mutationhooks.metrics.SweepMetrics;

/**
 * Micrometer for the starter, when the application has it (Boot's actuator brings it): each hooked write is an
 * observation, and durable effects and sweeps have meters. Without Micrometer on the class path, or without an
 * {@link ObservationRegistry} or {@link MeterRegistry} bean, nothing of it is configured and writes run as without it.
 */
@AutoConfiguration(
		after = { MutationHooksAutoConfiguration.class, EffectsAutoConfiguration.class, S3SyncAutoConfiguration.class,
				S3SweepAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBooleanProperty(name = MutationHooksProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = MutationHooksProperties.PREFIX + ".metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MutationHooksProperties.class)
public final class MutationHooksMetricsAutoConfiguration {

	/** Each hooked write an observation, when the registry observes anything. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
	@ConditionalOnBean(type = "io.micrometer.observation.ObservationRegistry")
	static class WriteObservations {

		/**
		 * Gives the {@link MutationRunner} its observer, unless the registry observes nothing (no handler, or the
		 * no-op registry): then no observer is installed, and writes cost what they cost without Micrometer.
		 */
		@Bean
		static BeanPostProcessor mutationWriteObservationInstaller(ObjectProvider<ObservationRegistry> registry,
				ObjectProvider<MutationObservationConvention> convention) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof MutationRunner runner) {
						ObservationRegistry observations = registry.getObject();
						if (!observations.isNoop()) {
							runner.setWriteObserver(new MutationObservations(observations, convention.getIfUnique()));
						}
					}
					return bean;
				}
			};
		}

	}

	/** Meters of durable effects and sweeps. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
	static class Meters {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean({ EffectBacklog.class, EffectHandlers.class })
		EffectMetrics mutationHooksEffectMetrics(MeterRegistry registry, EffectBacklog backlog,
				EffectHandlers handlers, MutationHooksProperties properties) {
			Duration refresh = properties.getMetrics().getBacklogRefreshInterval();
			if (refresh == null || refresh.isNegative() || refresh.isZero()) {
				// Every gauge of a scrape reads the backlog once it is stale: an interval of 0 would scan the whole
				// backlog once per gauge.
				throw new InvalidPropertyException(MutationHooksProperties.PREFIX + ".metrics.backlog-refresh-interval",
						refresh, "it must be positive: each read scans the whole backlog, and a scrape reads many "
								+ "gauges", "Set a positive duration, such as 30s.");
			}
			return new EffectMetrics(registry, backlog, handlers.byName().keySet(), refresh, Clock.systemUTC());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnClass(name = "software.amazon.awssdk.services.s3.S3Client")
		@ConditionalOnBean(type = { "io.mutationhooks.s3.S3References" })
		SweepMetrics mutationHooksSweepMetrics(MeterRegistry registry) {
			return new SweepMetrics(registry);
		}

	}

}
