package io.mutationhooks.autoconfigure;

import com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;

import io.mutationhooks.core.WriteObserver;
import io.mutationhooks.effects.EffectListener;
import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.metrics.DefaultMutationObservationConvention;
import io.mutationhooks.metrics.EffectMetrics;
import io.mutationhooks.metrics.MutationObservationContext;
import io.mutationhooks.metrics.MutationObservationConvention;
import io.mutationhooks.metrics.MutationObservations;
import io.mutationhooks.metrics.SweepMetrics;
import io.mutationhooks.testapp.User;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micrometer for the starter switches on with an observation or meter registry, installs nothing when the registry
 * observes nothing or Micrometer is absent, takes the application's convention, and switches off when told to.
 */
class MutationHooksMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, DataSourceInitializationAutoConfiguration.class,
				DataJdbcRepositoriesAutoConfiguration.class, HookedJdbcAggregateTemplateAutoConfiguration.class,
				MutationHooksAutoConfiguration.class, DbSchedulerAutoConfiguration.class,
				EffectsAutoConfiguration.class, MutationHooksMetricsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:metrics;CASE_INSENSITIVE_IDENTIFIERS=TRUE", "spring.sql.init.mode=always",
				"spring.sql.init.schema-locations=classpath:schema-h2.sql", "db-scheduler.immediate-execution-enabled=false",
				"db-scheduler.delay-startup-until-context-ready=true")
		.withUserConfiguration(TestEntities.class);

	@Test
	void withAnObservingRegistryEveryHookedWriteIsObserved() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> observations)
			.withBean("noOp", io.mutationhooks.Hook.class, () -> next -> next)
			.run(context -> {
				assertThat(context.getBean(MutationRunner.class).writeObserver()).isInstanceOf(MutationObservations.class);

				context.getBean(JdbcAggregateTemplate.class).insert(new User("ann", null));

				assertThat(observations).hasObservationWithNameEqualTo(DefaultMutationObservationConvention.NAME)
					.that()
					.hasLowCardinalityKeyValue("mutation.entity", "User")
					.hasLowCardinalityKeyValue("mutation.outcome", "done");
			});
	}

	@Test
	void aRegistryThatObservesNothingInstallsNoObserver() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run(context -> assertThat(context.getBean(MutationRunner.class).writeObserver())
				.isSameAs(WriteObserver.NONE));
		this.contextRunner.withBean(ObservationRegistry.class, () -> ObservationRegistry.NOOP)
			.run(context -> assertThat(context.getBean(MutationRunner.class).writeObserver())
				.isSameAs(WriteObserver.NONE));
	}

	@Test
	void withoutMicrometerTheContextStartsWithNothingOfIt() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(MutationRunner.class)
				.doesNotHaveBean("mutationWriteObservationInstaller")
				.doesNotHaveBean(EffectListener.class);
			assertThat(context.getBean(MutationRunner.class).writeObserver()).isSameAs(WriteObserver.NONE);
		});
	}

	@Test
	void withoutRegistryBeansNothingIsInstalled() {
		this.contextRunner.run(context -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean("mutationWriteObservationInstaller")
				.doesNotHaveBean(EffectMetrics.class)
				.doesNotHaveBean(SweepMetrics.class);
			assertThat(context.getBean(MutationRunner.class).writeObserver()).isSameAs(WriteObserver.NONE);
		});
	}

	@Test
	void theApplicationsConventionNamesTheObservation() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> observations)
			.withBean("noOp", io.mutationhooks.Hook.class, () -> next -> next)
			.withBean(MutationObservationConvention.class, OwnConvention::new)
			.run(context -> {
				context.getBean(JdbcAggregateTemplate.class).insert(new User("ann", null));

				assertThat(observations).hasObservationWithNameEqualTo("acme.writes")
					.that()
					.hasLowCardinalityKeyValue("team", "accounts")
					.hasLowCardinalityKeyValue("mutation.outcome", "done");
			});
	}

	@Test
	void aMeterRegistryGivesEffectsTheirMetersAndTheRunnerItsListener() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
			assertThat(context).hasSingleBean(EffectMetrics.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find(EffectMetrics.ATTEMPTS).counters()).isEmpty();
			context.getBean(EffectMetrics.class).attempted("crm-sync", EffectListener.AttemptOutcome.SUCCEEDED);
			assertThat(meters.get(EffectMetrics.ATTEMPTS).tags("effect", "crm-sync", "outcome", "succeeded")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Nested
	class SwitchedOff {

		@Test
		void byItsPropertyNothingIsInstalled() {
			TestObservationRegistry observations = TestObservationRegistry.create();
			MutationHooksMetricsAutoConfigurationTests.this.contextRunner
				.withBean(ObservationRegistry.class, () -> observations)
				.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
				.withPropertyValues("mutation-hooks.metrics.enabled=false")
				.run(context -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(EffectMetrics.class);
					assertThat(context.getBean(MutationRunner.class).writeObserver()).isSameAs(WriteObserver.NONE);
				});
		}

		@ParameterizedTest
		@ValueSource(strings = { "-1s", "0s" })
		void aRefreshIntervalThatIsNotPositiveFailsStartUpNamingTheProperty(String interval) {
			MutationHooksMetricsAutoConfigurationTests.this.contextRunner
				.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
				.withPropertyValues("mutation-hooks.metrics.backlog-refresh-interval=" + interval)
				.run(context -> {
					assertThat(context).hasFailed();
					assertThat(FailureReport.of(context.getStartupFailure()))
						.contains("mutation-hooks.metrics.backlog-refresh-interval");
				});
		}

	}

	@Test
	void aMeterObservationHandlerMakesEachWriteATimer() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		this.contextRunner.withBean(ObservationRegistry.class, () -> observations)
			.withBean("noOp", io.mutationhooks.Hook.class, () -> next -> next)
			.run(context -> {
				context.getBean(JdbcAggregateTemplate.class).insert(new User("ann", null));

				assertThat(meters.get(DefaultMutationObservationConvention.NAME)
					.tags("mutation.entity", "User", "mutation.operation", "create", "mutation.outcome", "done",
							"mutation.hook", "none", "mutation.batch", "false", "error", "none")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	/** An application's own convention: its own name and a key of its own. */
	static class OwnConvention extends DefaultMutationObservationConvention {

		@Override
		public String getName() {
			return "acme.writes";
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(MutationObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("team", "accounts");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage(basePackageClasses = User.class)
	static class TestEntities {

	}

}
