package io.mutationhooks.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import io.mutationhooks.testapp.Document;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unknown property anywhere under mutation-hooks fails start-up with Boot's report naming it, while the valid
 * properties of every properties class, bound from the same tree, start.
 */
class UnknownPropertiesTests {

	/** The hooks without the S3 sync or durable effects: their properties are checked all the same. */
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, DataJdbcRepositoriesAutoConfiguration.class,
				MutationHooksAutoConfiguration.class))
		.withUserConfiguration(S3SyncAutoConfigurationTests.TestEntities.class)
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@ParameterizedTest
	@ValueSource(strings = { "mutation-hooks.loging.enabled", "mutation-hooks.enable", "mutation-hooks.jdbc.schema",
			"mutation-hooks.effects.retry.max-attempt", "mutation-hooks.s3.bukets.avatars.name",
			"mutation-hooks.s3.references[0].feild", "mutation-hooks.health.parked-treshold" })
	void anUnknownPropertyFailsStartUpWithAReportNamingIt(String property) {
		this.contextRunner.withPropertyValues(property + "=1").run(context -> {
			assertThat(context).hasFailed();
			assertThat(FailureReport.of(context.getStartupFailure())).contains("Property: " + property)
				.contains("Reason: The elements [" + property + "] were left unbound.")
				.contains("Action:\nUpdate your application's configuration");
		});
	}

	@Test
	void validPropertiesOfEveryTreeStartTogether() {
		this.contextRunner
			.withPropertyValues("mutation-hooks.enabled=true", "mutation-hooks.logging.enabled=true",
					"mutation-hooks.jdbc.initialize-schema=never", "mutation-hooks.effects.enabled=true",
					"mutation-hooks.effects.retry.max-attempts=3", "mutation-hooks.effects.retry.max-backoff=1m",
					"mutation-hooks.s3.enabled=true", "mutation-hooks.s3.buckets.avatars.name=real-avatars",
					"mutation-hooks.s3.buckets.avatars.prefix=avatars/",
					"mutation-hooks.s3.buckets.avatars.verify-on-write=false",
					"mutation-hooks.s3.buckets.avatars.cleanup=false",
					"mutation-hooks.s3.references[0].entity=" + Document.class.getName(),
					"mutation-hooks.s3.references[0].field=attachment", "mutation-hooks.s3.references[0].bucket=avatars",
					"mutation-hooks.s3.verify.parallelism=4", "mutation-hooks.s3.verify.lease-timeout=${lease:10m}",
					"mutation-hooks.s3.cleanup.queue=in-memory", "mutation-hooks.s3.cleanup.max-attempts=2",
					"mutation-hooks.health.parked-threshold=0", "mutation-hooks.health.oldest-pending-threshold=15m",
					"mutation-hooks.health.status-when-exceeded=OUT_OF_SERVICE",
					"mutation-hooks.health.cache-time-to-live=5s")
			.run(context -> assertThat(context).hasNotFailed().hasSingleBean(MutationHooksProperties.class));
	}

}
