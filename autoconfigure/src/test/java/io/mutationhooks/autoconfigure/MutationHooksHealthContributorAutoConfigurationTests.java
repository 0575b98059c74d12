package io.mutationhooks.autoconfigure;

import java.time.Instant;

import com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mutationhooks.actuator.MutationHooksHealthIndicator;
import io.mutationhooks.actuator.StubEffectBacklog;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health indicator comes with durable effects and Boot's health support, is named {@code mutationhooks}, switches
 * off with Boot's property, backs off to the user's own, and takes its thresholds from properties, failing start-up
 * on one it cannot work with.
 */
class MutationHooksHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner withDurableEffects = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, DbSchedulerAutoConfiguration.class,
				MutationHooksAutoConfiguration.class, EffectsAutoConfiguration.class,
				MutationHooksHealthContributorAutoConfiguration.class))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	/** The indicator alone, over a backlog with two parked effects, the oldest pending one requested an hour ago. */
	private final ApplicationContextRunner withStubBacklog = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MutationHooksHealthContributorAutoConfiguration.class))
		.withUserConfiguration(TwoParked.class);

	@Test
	void withDurableEffectsTheIndicatorNamedMutationhooksIsUpWithAnEmptyBacklog() {
		this.withDurableEffects.run(context -> {
			assertThat(context).hasSingleBean(MutationHooksHealthIndicator.class);
			Health health = context.getBean("mutationhooksHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("pending", 0L).containsEntry("parked", 0L);
		});
	}

	@Test
	void bootsPropertySwitchesItOff() {
		this.withDurableEffects.withPropertyValues("management.health.mutationhooks.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MutationHooksHealthIndicator.class));
	}

	@Test
	void withoutBootsHealthSupportThereIsNone() {
		this.withDurableEffects.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MutationHooksHealthIndicator.class));
	}

	@Test
	void withoutDurableEffectsThereIsNone() {
		this.withDurableEffects.withPropertyValues("mutation-hooks.effects.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MutationHooksHealthIndicator.class));
	}

	@Test
	void theUsersOwnIndicatorOfThatNameWins() {
		this.withStubBacklog.withUserConfiguration(OwnIndicator.class).run(context -> {
			assertThat(context).doesNotHaveBean(MutationHooksHealthIndicator.class);
			assertThat(context.getBean("mutationhooksHealthIndicator", HealthIndicator.class).health().getStatus())
				.isEqualTo(Status.UNKNOWN);
		});
	}

	@Test
	void byDefaultParkedEffectsLeaveItUp() {
		this.withStubBacklog.run(context -> assertThat(health(context.getBean(MutationHooksHealthIndicator.class)))
			.isEqualTo(Status.UP));
	}

	@Test
	void aParkedThresholdExceededGivesTheStatusTheUserChose() {
		this.withStubBacklog.withPropertyValues("mutation-hooks.health.parked-threshold=1")
			.run(context -> assertThat(health(context.getBean(MutationHooksHealthIndicator.class)))
				.isEqualTo(Status.DOWN));
		this.withStubBacklog
			.withPropertyValues("mutation-hooks.health.parked-threshold=1",
					"mutation-hooks.health.status-when-exceeded=out_of_service")
			.run(context -> assertThat(health(context.getBean(MutationHooksHealthIndicator.class)))
				.isEqualTo(Status.OUT_OF_SERVICE));
		this.withStubBacklog.withPropertyValues("mutation-hooks.health.parked-threshold=2")
			.run(context -> assertThat(health(context.getBean(MutationHooksHealthIndicator.class)))
				.isEqualTo(Status.UP));
	}

	@Test
	void anOldestPendingThresholdExceededGivesTheStatusTheUserChose() {
		this.withStubBacklog.withPropertyValues("mutation-hooks.health.oldest-pending-threshold=30m")
			.run(context -> assertThat(health(context.getBean(MutationHooksHealthIndicator.class)))
				.isEqualTo(Status.DOWN));
		this.withStubBacklog.withPropertyValues("mutation-hooks.health.oldest-pending-threshold=2h")
			.run(context -> assertThat(health(context.getBean(MutationHooksHealthIndicator.class)))
				.isEqualTo(Status.UP));
	}

	@Test
	void aNegativeParkedThresholdFailsStartUpWithAReportNamingIt() {
		this.withStubBacklog.withPropertyValues("mutation-hooks.health.parked-threshold=-1").run(context -> {
			assertThat(context).hasFailed();
			assertThat(FailureReport.of(context.getStartupFailure())).isEqualTo("""
					Description:
					Property mutation-hooks.health.parked-threshold is set to '-1': it must not be negative
					Action:
					Set mutation-hooks.health.parked-threshold to 0 or more (0: any parked effect exceeds it), or \
					remove it for no limit.""");
		});
	}

	private static Status health(HealthIndicator indicator) {
		return indicator.health().getStatus();
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoParked {

		@Bean
		StubEffectBacklog backlog() {
			StubEffectBacklog backlog = new StubEffectBacklog();
			backlog.set(new EffectCount("crm-sync", EffectStatus.PARKED, 2, Instant.now().minusSeconds(86_400)),
					new EffectCount("crm-sync", EffectStatus.PENDING, 1, Instant.now().minusSeconds(3600)));
			return backlog;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnIndicator {

		@Bean
		HealthIndicator mutationhooksHealthIndicator() {
			return () -> Health.unknown().build();
		}

	}

}
