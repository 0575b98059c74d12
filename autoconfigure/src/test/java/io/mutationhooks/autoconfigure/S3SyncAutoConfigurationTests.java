package io.mutationhooks.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.TransactionHooks;
import io.mutationhooks.s3.ClaimsThatAlwaysHold;
import io.mutationhooks.s3.DeletionClaims;
import io.mutationhooks.s3.DurableS3Cleanup;
import io.mutationhooks.s3.JdbcKeyLeases;
import io.mutationhooks.s3.KeyLeases;
import io.mutationhooks.s3.RetryingS3Cleanup;
import io.mutationhooks.s3.S3Bucket.S3Object;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3CleanupQueue;
import io.mutationhooks.s3.S3QuarantineEffect;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.S3SyncHook;
import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.DanglingReferences;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweptBucket;
import io.mutationhooks.testapp.Document;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.User;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The S3 sync switches on with Spring Cloud AWS's S3 client and the hooks, reads its buckets and references from
 * configuration, fails start-up on a reference it cannot honour, and backs off to the user's beans.
 */
class S3SyncAutoConfigurationTests {

	/** Spring Data JDBC, Spring Cloud AWS S3, db-scheduler and every auto-configuration of the starters. */
	static final AutoConfigurations WITH_SPRING_CLOUD_AWS_S3 = AutoConfigurations.of(DataSourceAutoConfiguration.class,
			DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
			JdbcTemplateAutoConfiguration.class, DataJdbcRepositoriesAutoConfiguration.class, AwsAutoConfiguration.class,
			CredentialsProviderAutoConfiguration.class, RegionProviderAutoConfiguration.class, S3AutoConfiguration.class,
			DbSchedulerAutoConfiguration.class, MutationHooksAutoConfiguration.class, EffectsAutoConfiguration.class,
			S3SyncAutoConfiguration.class, S3SweepAutoConfiguration.class, S3ClientRequiredAutoConfiguration.class);

	/** Spring Data JDBC and Spring Cloud AWS S3 with a region and credentials, but no buckets yet. */
	private final ApplicationContextRunner withoutBuckets = new ApplicationContextRunner()
		.withConfiguration(WITH_SPRING_CLOUD_AWS_S3)
		.withUserConfiguration(TestEntities.class)
		.withPropertyValues("spring.datasource.generate-unique-name=true", "spring.cloud.aws.region.static=us-east-1",
				"spring.cloud.aws.credentials.access-key=test", "spring.cloud.aws.credentials.secret-key=test");

	private final ApplicationContextRunner contextRunner = this.withoutBuckets
		.withPropertyValues("mutation-hooks.s3.buckets.avatars.name=real-avatars",
				"mutation-hooks.s3.buckets.docs.prefix=docs/",
				"mutation-hooks.s3.references[0].entity=" + Document.class.getName(),
				"mutation-hooks.s3.references[0].field=attachment",
				"mutation-hooks.s3.references[0].bucket=docs");

	@Test
	void syncsAnnotatedAndDeclaredReferencesThroughTheHookRegistry() {
		this.contextRunner.run(context -> {
			assertThat(context).hasSingleBean(S3SyncHook.class).hasSingleBean(DurableS3Cleanup.class)
				.hasSingleBean(DanglingReferences.class);
			assertThat(context).hasSingleBean(JdbcKeyLeases.class)
				.getBean(KeyLeases.class)
				.isSameAs(context.getBean(DeletionClaims.class));
			S3References references = context.getBean(S3References.class);
			assertThat(references.of(Member.class)).singleElement().satisfies(field -> {
				assertThat(field.name()).isEqualTo("avatarUrl");
				assertThat(field.bucket()).isEqualTo(new S3Bucket("avatars", "real-avatars", "", true, true));
			});
			assertThat(references.of(Document.class)).singleElement().satisfies(field -> {
				assertThat(field.name()).isEqualTo("attachment");
				assertThat(field.bucket().name()).as("defaults to its name in configuration").isEqualTo("docs");
				assertThat(field.bucket().prefix()).isEqualTo("docs/");
			});
			HookRegistry registry = context.getBean(HookRegistry.class);
			assertThat(registry.hooksFor(Member.class)).contains(context.getBean(S3SyncHook.class));
			assertThat(registry.hooksFor(User.class)).doesNotContain(context.getBean(S3SyncHook.class));
		});
	}

	@Test
	void registryListingsNameTheS3SyncHookWithTheFieldsItChecksAndTheirBuckets() {
		this.contextRunner.run(context -> {
			HookRegistry registry = context.getBean(HookRegistry.class);
			assertThat(registry.hooksFor(Member.class))
				.hasToString("[s3SyncHook: S3SyncHook(Member.avatarUrl -> avatars)]");
			assertThat(registry.hooksFor(Document.class))
				.hasToString("[s3SyncHook: S3SyncHook(Document.attachment -> docs)]");
		});
	}

	@Test
	void keepsDeletesInMemoryOnlyWhenAskedTo() {
		this.contextRunner.withPropertyValues("mutation-hooks.s3.cleanup.queue=in-memory")
			.run(context -> assertThat(context).hasSingleBean(RetryingS3Cleanup.class)
				.doesNotHaveBean(DurableS3Cleanup.class));
	}

	@Test
	void aDurableCleanupWithoutDurableEffectsFailsStartUpWithAReportNamingThePropertyAndTheWayOut() {
		assertThat(failureReport("mutation-hooks.effects.enabled=false")).isEqualTo("""
				Description:
				Property mutation-hooks.s3.cleanup.queue is set to 'durable': the durable queue (the default) records \
				deletes as durable effects, but durable effects are off: db-scheduler is not on the class path or is \
				switched off, or mutation-hooks.effects.enabled is false
				Action:
				Put db-scheduler-spring-boot-4-starter on the class path and leave mutation-hooks.effects.enabled \
				true, or set mutation-hooks.s3.cleanup.queue=in-memory to keep deletes in memory, where a crash loses \
				them.""");
	}

	@Test
	void isOffWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("mutation-hooks.s3.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(S3SyncHook.class));
	}

	@Test
	void isOffWhenMutationHooksAreOff() {
		this.contextRunner.withPropertyValues("mutation-hooks.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(S3SyncHook.class));
	}

	@Test
	void isOffWithoutTheAwsSdkAndThenRefusesToStartWithReferencesItCannotCheck() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(S3Client.class)).run(context -> {
			assertThat(context).hasFailed();
			assertThat(FailureReport.of(context.getStartupFailure())).contains("there is no S3Client bean");
		});
		this.contextRunner.withClassLoader(new FilteredClassLoader(S3Client.class))
			.withPropertyValues("mutation-hooks.s3.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(S3SyncHook.class));
	}

	@Test
	void backsOffToTheUsersCleanupQueue() {
		this.contextRunner.withUserConfiguration(UserCleanupQueue.class).run(context -> {
			assertThat(context).hasSingleBean(S3CleanupQueue.class)
				.doesNotHaveBean(RetryingS3Cleanup.class)
				.doesNotHaveBean(DurableS3Cleanup.class);
			assertThat(context).hasSingleBean(S3SyncHook.class);
		});
	}

	@Test
	void backsOffToTheUsersLeasesAndClaims() {
		this.contextRunner.withUserConfiguration(UserLeases.class).run(context -> {
			assertThat(context).doesNotHaveBean(JdbcKeyLeases.class).hasSingleBean(S3SyncHook.class);
			assertThat(context.getBean(KeyLeases.class)).isSameAs(context.getBean(DeletionClaims.class));
		});
	}

	@Test
	void anAnnotationNamingAnUnconfiguredBucketFailsStartUpWithAReportNamingTheBuckets() {
		this.withoutBuckets.withPropertyValues("mutation-hooks.s3.buckets.pictures.name=pictures").run(context -> {
			assertThat(context).hasFailed();
			assertThat(FailureReport.of(context.getStartupFailure())).isEqualTo("""
					Description:
					@S3Reference(bucket = "avatars") on %s.avatarUrl names a bucket that is not configured. \
					Configured buckets (mutation-hooks.s3.buckets.*): [pictures]
					Action:
					Configure the bucket, as in mutation-hooks.s3.buckets.avatars.name=<its name in S3>, or name one \
					of the configured buckets in the annotation on %1$s.avatarUrl.""".formatted(Member.class.getName()));
		});
	}

	@Test
	void aPrefixWithoutTrailingSlashFailsStartUpWithAReportNamingTheProperty() {
		assertThat(failureReport("mutation-hooks.s3.buckets.docs.prefix=docs")).isEqualTo("""
				Description:
				Property mutation-hooks.s3.buckets.docs.prefix is set to 'docs': a prefix must end with '/', or it \
				would admit keys outside it ("docs-other/...")
				Action:
				Set mutation-hooks.s3.buckets.docs.prefix to 'docs/'.""");
	}

	@Test
	void aParallelismBelowOneFailsStartUpWithAReportNamingTheProperty() {
		assertThat(failureReport("mutation-hooks.s3.verify.parallelism=0")).isEqualTo("""
				Description:
				Property mutation-hooks.s3.verify.parallelism is set to '0': it must be at least 1
				Action:
				Set mutation-hooks.s3.verify.parallelism to 1 or more, or remove it for its default.""");
	}

	@Test
	void aDeclaredReferenceToAMissingFieldFailsStartUpWithAReportListingTheFields() {
		assertThat(failureReport("mutation-hooks.s3.references[0].field=attachmnet")).isEqualTo("""
				Description:
				Property mutation-hooks.s3.references[0].field is set to 'attachmnet': %s has no field 'attachmnet'
				Action:
				Set mutation-hooks.s3.references[0].field to one of the String fields of Document: [title, \
				attachment].""".formatted(Document.class.getName()));
	}

	@Test
	void aDeclaredReferenceToAnUnconfiguredBucketFailsStartUpWithAReportNamingTheProperty() {
		assertThat(failureReport("mutation-hooks.s3.references[0].bucket=dcos")).isEqualTo("""
				Description:
				Property mutation-hooks.s3.references[0].bucket is set to 'dcos': it names no bucket configured \
				under mutation-hooks.s3.buckets, which has [avatars, docs]
				Action:
				Set mutation-hooks.s3.references[0].bucket to one of the configured buckets, or configure it as \
				mutation-hooks.s3.buckets.dcos.name=<its name in S3>.""");
	}

	/** The start-up failure report of the context with {@code properties} set. */
	private String failureReport(String... properties) {
		String[] report = new String[1];
		this.contextRunner.withPropertyValues(properties).run(context -> {
			assertThat(context).hasFailed();
			report[0] = FailureReport.of(context.getStartupFailure());
		});
		return report[0];
	}

	@Test
	void aMistypedPropertyFailsStartUp() {
		this.contextRunner.withPropertyValues("mutation-hooks.s3.cleanup.max-attempt=3")
			.run(context -> assertThat(context).hasFailed());
	}

	@Test
	void bindsTheTimeoutsOfS3Requests() {
		this.contextRunner.run(context -> {
			S3SyncProperties properties = context.getBean(S3SyncProperties.class);
			assertThat(properties.getVerify().getAttemptTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getVerify().getCallTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getCleanup().getAttemptTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getCleanup().getCallTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getVerify().getLeaseTimeout()).isEqualTo(Duration.ofMinutes(5));
		});
		this.contextRunner
			.withPropertyValues("mutation-hooks.s3.verify.attempt-timeout=300ms", "mutation-hooks.s3.verify.call-timeout=1s",
					"mutation-hooks.s3.cleanup.attempt-timeout=3s", "mutation-hooks.s3.cleanup.call-timeout=1m")
			.run(context -> {
				S3SyncProperties properties = context.getBean(S3SyncProperties.class);
				assertThat(properties.getVerify().getAttemptTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(properties.getVerify().getCallTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.getCleanup().getAttemptTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getCleanup().getCallTimeout()).isEqualTo(Duration.ofMinutes(1));
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			verify.attempt-timeout=0s   | Property mutation-hooks.s3.verify.attempt-timeout is set to 'PT0S': it must be positive
			verify.call-timeout=-1s     | Property mutation-hooks.s3.verify.call-timeout is set to 'PT-1S': it must be positive
			verify.call-timeout=1s      | Property mutation-hooks.s3.verify.call-timeout is set to 'PT1S': it must not be shorter than mutation-hooks.s3.verify.attempt-timeout (PT2S)
			cleanup.attempt-timeout=0ms | Property mutation-hooks.s3.cleanup.attempt-timeout is set to 'PT0S': it must be positive
			cleanup.call-timeout=5s     | Property mutation-hooks.s3.cleanup.call-timeout is set to 'PT5S': it must not be shorter than mutation-hooks.s3.cleanup.attempt-timeout (PT10S)
			verify.lease-timeout=0s     | Property mutation-hooks.s3.verify.lease-timeout is set to 'PT0S': it must be positive
			verify.lease-timeout=1m     | Property mutation-hooks.s3.verify.lease-timeout is set to 'PT1M': it must be at least 4 times mutation-hooks.s3.cleanup.call-timeout (PT30S), so that a claim leaves time for a copy (a quarter of the lease timeout) and for its delete to reach S3 well within the lease timeout of the claim
			""")
	void aTimeoutThatIsNotPositiveOrShorterThanItsAttemptFailsStartUpWithAReportNamingTheProperty(String property,
			String description) {
		assertThat(failureReport("mutation-hooks.s3." + property)).startsWith("Description:\n" + description + "\nAction:\nSet ");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			initial-backoff=0s | Property mutation-hooks.s3.cleanup.initial-backoff is set to 'PT0S': it must be positive
			max-backoff=-1s    | Property mutation-hooks.s3.cleanup.max-backoff is set to 'PT-1S': it must be positive
			max-backoff=500ms  | Property mutation-hooks.s3.cleanup.max-backoff is set to 'PT0.5S': it must not be shorter than mutation-hooks.s3.cleanup.initial-backoff (PT1S)
			""")
	void anInMemoryBackoffThatIsNotPositiveOrShorterThanTheFirstFailsStartUpWithAReportNamingTheProperty(
			String property, String description) {
		assertThat(failureReport("mutation-hooks.s3.cleanup.queue=in-memory", "mutation-hooks.s3.cleanup." + property))
			.startsWith("Description:\n" + description + "\nAction:\nSet ");
	}

	/** The orphan sweeper: on only for buckets that opt in, scheduled only when asked, refusing settings it cannot honour. */
	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class Sweep {

		private static final String AVATARS_SWEEP = "mutation-hooks.s3.buckets.avatars.sweep.";

		@Test
		void noBucketIsSweptUnlessItOptsIn() {
			contextRunner.run(context -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(OrphanSweeper.class)
				.doesNotHaveBean(RecurringTask.class)
				.hasSingleBean(S3QuarantineEffect.class));
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=false", AVATARS_SWEEP + "interval=1h")
				.run(context -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(OrphanSweeper.class)
					.doesNotHaveBean(RecurringTask.class));
		}

		@Test
		void aBucketThatOptsInIsSweptInDryRunWithAnHourOfGraceAndNoSchedule() {
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=true").run(context -> {
				assertThat(context).hasSingleBean(OrphanSweeper.class).doesNotHaveBean(RecurringTask.class);
				assertThat(context.getBean(OrphanSweeper.class).buckets()).containsOnlyKeys("avatars")
					.extractingByKey("avatars")
					.satisfies(avatars -> {
						assertThat(avatars.mode()).isEqualTo(SweepMode.DRY_RUN);
						assertThat(avatars.gracePeriod()).isEqualTo(Duration.ofHours(1));
						assertThat(avatars.quarantinePrefix()).isEqualTo("lost+found/");
						assertThat(avatars.reportsKept()).isEqualTo(10);
						assertThat(avatars.bucket().name()).isEqualTo("real-avatars");
					});
			});
		}

		@ParameterizedTest(name = "enabled={0}")
		@ValueSource(strings = { "on", "yes", "1", "TRUE" })
		void aSweepEnabledByAnyValueThatBindsAsTrueHasItsSweeper(String enabled) {
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=" + enabled, AVATARS_SWEEP + "interval=1h")
				.run(context -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(OrphanSweeper.class).buckets()).containsOnlyKeys("avatars");
					assertThat(context.getBeansOfType(RecurringTask.class)).containsOnlyKeys(
							"mutation-hooks-s3-sweep-avatars");
				});
		}

		@ParameterizedTest(name = "enabled={0}")
		@ValueSource(strings = { "off", "no", "0", "false" })
		void aSweepDisabledByAnyValueThatBindsAsFalseHasNoSweeper(String enabled) {
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=" + enabled, AVATARS_SWEEP + "interval=1h")
				.run(context -> {
					assertThat(context).hasNotFailed();
					assertThat(context).doesNotHaveBean(OrphanSweeper.class);
					assertThat(context.getBeansOfType(RecurringTask.class)).isEmpty();
				});
		}

		@Test
		void bindsEverySettingOfTheSweep() {
			contextRunner.withPropertyValues("mutation-hooks.s3.buckets.docs.sweep.enabled=true",
					"mutation-hooks.s3.buckets.docs.sweep.mode=quarantine",
					"mutation-hooks.s3.buckets.docs.sweep.grace-period=0s",
					"mutation-hooks.s3.buckets.docs.sweep.quarantine-prefix=trash/",
					"mutation-hooks.s3.buckets.docs.sweep.reports-kept=3")
				.run(context -> assertThat(context.getBean(OrphanSweeper.class).buckets().get("docs"))
					.isEqualTo(new SweptBucket(new S3Bucket("docs", "docs", "docs/", true, true), SweepMode.QUARANTINE,
							Duration.ZERO, "trash/", 3)));
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', textBlock = """
				interval=30m      | mutation-hooks.s3.buckets.avatars.sweep.interval
				cron=0 0 3 * * *  | mutation-hooks.s3.buckets.avatars.sweep.cron
				""")
		void aScheduledSweepIsARecurringTaskOfItsOwnPerBucket(String schedule, String property) {
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + schedule,
					"mutation-hooks.s3.buckets.docs.sweep.enabled=true")
				.run(context -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBeansOfType(RecurringTask.class)).as("no task for docs, which has no schedule")
						.containsOnlyKeys("mutation-hooks-s3-sweep-avatars")
						.extractingByKey("mutation-hooks-s3-sweep-avatars")
						.satisfies(task -> {
							assertThat(task.getName()).isEqualTo("mutation-hooks-s3-sweep-avatars");
							assertThat(task).as("scheduled by " + property)
								.extracting("schedule")
								.isEqualTo(schedule.startsWith("interval") ? Schedules.fixedDelay(Duration.ofMinutes(30))
										: Schedules.cron("0 0 3 * * *"));
						});
				});
		}

		@Test
		void aSweptBucketWithoutAPrefixIsWarnedAboutAtStartUp(CapturedOutput output) {
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=true",
					"mutation-hooks.s3.buckets.docs.sweep.enabled=true")
				.run(context -> assertThat(context).hasNotFailed());

			assertThat(output).contains("WARN")
				.contains("The bucket avatars (real-avatars) is swept but has no prefix: every object in it can be "
						+ "swept, those of other applications sharing it too. Set mutation-hooks.s3.buckets.avatars.prefix")
				.doesNotContain("The bucket docs");
		}

		@Test
		void aCronExpressionAndAnIntervalTogetherFailStartUpWithAReportNamingTheProperty() {
			assertThat(failureReport(AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "interval=1h",
					AVATARS_SWEEP + "cron=0 0 3 * * *")).isEqualTo("""
					Description:
					Property mutation-hooks.s3.buckets.avatars.sweep.interval is set to 'PT1H': it is set with \
					mutation-hooks.s3.buckets.avatars.sweep.cron ('0 0 3 * * *'), and a sweep has one schedule
					Action:
					Remove mutation-hooks.s3.buckets.avatars.sweep.interval or \
					mutation-hooks.s3.buckets.avatars.sweep.cron.""");
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', textBlock = """
				cron=every night        | Property mutation-hooks.s3.buckets.avatars.sweep.cron is set to 'every night': it is not a cron expression
				interval=0s             | Property mutation-hooks.s3.buckets.avatars.sweep.interval is set to 'PT0S': it must be positive
				grace-period=-1m        | Property mutation-hooks.s3.buckets.avatars.sweep.grace-period is set to 'PT-1M': it must not be negative
				quarantine-prefix=trash | Property mutation-hooks.s3.buckets.avatars.sweep.quarantine-prefix is set to 'trash': it must end with '/'
				reports-kept=0          | Property mutation-hooks.s3.buckets.avatars.sweep.reports-kept is set to '0': it must be at least 1
				""")
		void aSweepSettingItCannotHonourFailsStartUpWithAReportNamingTheProperty(String setting, String description) {
			assertThat(failureReport(AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + setting))
				.startsWith("Description:\n" + description);
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', textBlock = """
				app/uploads/ | app/
				app/uploads/ | app/uploads/
				""")
		void aQuarantinePrefixThatHoldsTheBucketsPrefixFailsStartUpWithAReportNamingIt(String bucketPrefix,
				String quarantinePrefix) {
			assertThat(failureReport("mutation-hooks.s3.buckets.avatars.prefix=" + bucketPrefix,
					AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "quarantine-prefix=" + quarantinePrefix))
				.isEqualTo("""
						Description:
						Property mutation-hooks.s3.buckets.avatars.sweep.quarantine-prefix is set to '%s': the \
						bucket's prefix ('app/uploads/') is under it, so every key the sweep lists is under the \
						quarantine prefix, where nothing is swept: every sweep would scan nothing
						Action:
						Set mutation-hooks.s3.buckets.avatars.sweep.quarantine-prefix to a prefix outside \
						'app/uploads/', such as 'lost+found/'.""".formatted(quarantinePrefix));
		}

		@Test
		void aQuarantinePrefixInsideTheBucketsPrefixIsWarnedAboutAtStartUp(CapturedOutput output) {
			contextRunner.withPropertyValues("mutation-hooks.s3.buckets.avatars.prefix=app/",
					AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "quarantine-prefix=app/lost+found/",
					"mutation-hooks.s3.buckets.docs.sweep.enabled=true")
				.run(context -> assertThat(context).hasNotFailed());

			assertThat(output).contains("WARN")
				.contains("The quarantine of bucket avatars (app/lost+found/) is inside its prefix (app/): every sweep "
						+ "lists the quarantined copies and skips them, and a row may refer to one, which a later "
						+ "quarantine of the same key overwrites.")
				.doesNotContain("The quarantine of bucket docs");
		}

		@Test
		void aModeThatIsNoneOfTheThreeFailsStartUp() {
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "mode=shred")
				.run(context -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("SweepMode")
					.hasMessageContaining("shred"));
		}

		@Test
		void aSweepThatRemovesObjectsFromABucketWithoutCleanupFailsStartUpWithAReportNamingTheMode() {
			assertThat(failureReport("mutation-hooks.s3.buckets.avatars.cleanup=false", AVATARS_SWEEP + "enabled=true",
					AVATARS_SWEEP + "mode=delete")).isEqualTo("""
					Description:
					Property mutation-hooks.s3.buckets.avatars.sweep.mode is set to 'delete': the bucket has cleanup: \
					false, so its objects are not removed: a sweep's deletes, as its cleanup's, need its writes to \
					lease them
					Action:
					Set mutation-hooks.s3.buckets.avatars.cleanup=true, or mutation-hooks.s3.buckets.avatars.sweep.mode=\
					dry-run.""");
			contextRunner.withPropertyValues("mutation-hooks.s3.buckets.avatars.cleanup=false",
					AVATARS_SWEEP + "enabled=true")
				.run(context -> assertThat(context).as("a dry run changes nothing").hasSingleBean(OrphanSweeper.class));
		}

		@Test
		void aSweepThatRemovesObjectsFromABucketWhoseWritesDoNotCheckFailsStartUpWithAReportNamingTheMode() {
			assertThat(failureReport("mutation-hooks.s3.buckets.avatars.verify-on-write=false",
					"mutation-hooks.s3.buckets.avatars.cleanup=false", AVATARS_SWEEP + "enabled=true",
					AVATARS_SWEEP + "mode=quarantine")).isEqualTo("""
					Description:
					Property mutation-hooks.s3.buckets.avatars.sweep.mode is set to 'quarantine': the bucket has \
					cleanup: false and verify-on-write: false, so its writes do not lease the objects they check, and a \
					sweep could take an object a write is about to refer to
					Action:
					Set mutation-hooks.s3.buckets.avatars.cleanup=true and \
					mutation-hooks.s3.buckets.avatars.verify-on-write=true, or \
					mutation-hooks.s3.buckets.avatars.sweep.mode=dry-run.""");
		}

		@Test
		void aSweepThatRemovesObjectsAnotherBindingWritesWithoutALeaseFailsStartUpWithAReportNamingThatBinding() {
			String thumbs = "mutation-hooks.s3.buckets.thumbs.";
			assertThat(failureReport(thumbs + "name=real-avatars", thumbs + "prefix=thumbs/",
					thumbs + "verify-on-write=false", AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "mode=delete"))
				.isEqualTo("""
						Description:
						Property mutation-hooks.s3.buckets.avatars.sweep.mode is set to 'delete': the binding thumbs \
						of the same bucket (real-avatars), whose prefix ('thumbs/') overlaps this one's (''), has \
						verify-on-write: false, so its writes do not lease the objects they check, and a sweep could \
						take an object a write is about to refer to
						Action:
						Set mutation-hooks.s3.buckets.thumbs.verify-on-write=true, or \
						mutation-hooks.s3.buckets.avatars.sweep.mode=dry-run.""");
		}

		@Test
		void bindingsThatCannotReferToTheSweptObjectsDoNotStopASweepFromRemovingThem() {
			String thumbs = "mutation-hooks.s3.buckets.thumbs.";
			String covers = "mutation-hooks.s3.buckets.covers.";
			contextRunner
				.withPropertyValues("mutation-hooks.s3.buckets.avatars.prefix=avatars/", thumbs + "name=real-avatars",
						thumbs + "prefix=thumbs/", thumbs + "verify-on-write=false", covers + "name=other-bucket",
						covers + "cleanup=false", AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "mode=delete")
				.run(context -> {
					SweptBucket avatars = context.getBean(OrphanSweeper.class).buckets().get("avatars");
					assertThat(avatars.mode()).isEqualTo(SweepMode.DELETE);
					assertThat(avatars.removable()).isTrue();
				});
			contextRunner.withPropertyValues(thumbs + "name=real-avatars", thumbs + "prefix=thumbs/",
					thumbs + "verify-on-write=false", AVATARS_SWEEP + "enabled=true")
				.run(context -> assertThat(context.getBean(OrphanSweeper.class).buckets().get("avatars"))
					.as("a dry run changes nothing, and still knows what it could not remove")
					.returns(false, SweptBucket::removable)
					.extracting(SweptBucket::unleasedWriters, as(InstanceOfAssertFactories.LIST))
					.extracting("id")
					.containsExactly("thumbs"));
		}

		@Test
		void aSweptBindingWithoutCleanupBesideOneThatCleansUpFailsStartUpNamingItsOwnCleanup() {
			String archive = "mutation-hooks.s3.buckets.archive.";
			assertThat(failureReport(archive + "name=real-avatars", archive + "prefix=archive/",
					"mutation-hooks.s3.buckets.avatars.cleanup=false", "mutation-hooks.s3.buckets.avatars.sweep.enabled=true",
					"mutation-hooks.s3.buckets.avatars.sweep.mode=quarantine")).isEqualTo("""
					Description:
					Property mutation-hooks.s3.buckets.avatars.sweep.mode is set to 'quarantine': the bucket has \
					cleanup: false, so its objects are not removed: a sweep's deletes, as its cleanup's, need its \
					writes to lease them
					Action:
					Set mutation-hooks.s3.buckets.avatars.cleanup=true, or mutation-hooks.s3.buckets.avatars.sweep.mode=\
					dry-run.""");
		}

		@Test
		void aBindingThatChecksButDoesNotCleanUpLeasesItsWritesSoDoesNotStopASweepFromRemovingObjects() {
			String archive = "mutation-hooks.s3.buckets.archive.";
			contextRunner
				.withPropertyValues(archive + "name=real-avatars", archive + "prefix=archive/",
						archive + "cleanup=false", AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "mode=delete")
				.run(context -> assertThat(context.getBean(OrphanSweeper.class).buckets().get("avatars"))
					.as("its writes lease, since the avatars binding cleans up the objects the two share")
					.returns(true, SweptBucket::removable));
		}

		@Test
		void aQuarantineHoldingThePrefixOfAnotherSweptBindingOfTheBucketFailsStartUpWithAReportNamingIt() {
			String users = "mutation-hooks.s3.buckets.users.";
			assertThat(failureReport(users + "name=real-avatars", users + "prefix=app/users/", users + "sweep.enabled=true",
					AVATARS_SWEEP + "enabled=true", AVATARS_SWEEP + "quarantine-prefix=app/")).isEqualTo("""
					Description:
					Property mutation-hooks.s3.buckets.avatars.sweep.quarantine-prefix is set to 'app/': the prefix \
					of the binding users of the same bucket ('app/users/') is under it, so a sweep of users would \
					skip every key it lists as quarantined
					Action:
					Set mutation-hooks.s3.buckets.avatars.sweep.quarantine-prefix to a prefix outside 'app/users/'.""");
		}

		@Test
		void aBindingThatWritesOnlyUnderTheQuarantinePrefixDoesNotStopASweepFromRemovingObjects() {
			String quarantined = "mutation-hooks.s3.buckets.quarantined.";
			contextRunner
				.withPropertyValues(quarantined + "name=real-avatars", quarantined + "prefix=lost+found/",
						quarantined + "verify-on-write=false", AVATARS_SWEEP + "enabled=true",
						AVATARS_SWEEP + "mode=delete")
				.run(context -> assertThat(context.getBean(OrphanSweeper.class).buckets().get("avatars"))
					.as("nothing under the quarantine prefix is swept")
					.returns(true, SweptBucket::removable));
		}

		@Test
		void aSweepWithoutDurableEffectsFailsStartUpWithAReportNamingTheSweep() {
			assertThat(failureReport("mutation-hooks.effects.enabled=false", "mutation-hooks.s3.cleanup.queue=in-memory",
					AVATARS_SWEEP + "enabled=true")).startsWith("""
					Description:
					Property mutation-hooks.s3.buckets.avatars.sweep.enabled is set to 'true': the sweep hands orphans \
					to durable effects, but durable effects are off""");
		}

		@Test
		void backsOffToTheUsersSweeper() {
			contextRunner.withPropertyValues(AVATARS_SWEEP + "enabled=true")
				.withBean("mySweeper", OrphanSweeper.class, () -> mock(OrphanSweeper.class))
				.run(context -> assertThat(context).getBean(OrphanSweeper.class).isSameAs(context.getBean("mySweeper")));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage(basePackageClasses = User.class)
	static class TestEntities {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLeases {

		@Bean
		UnguardedLeases myLeases() {
			return new UnguardedLeases();
		}

	}

	/** Leases that guard nothing, as a user's own implementation might be shaped. */
	static class UnguardedLeases extends ClaimsThatAlwaysHold implements KeyLeases {

		@Override
		public Lease lease(Collection<S3Object> objects) {
			return new Lease("none", Set.copyOf(objects));
		}

		@Override
		public Map<S3Object, Refusal> refusals(Collection<Lease> leases) {
			return Map.of();
		}

		@Override
		public void release(Collection<Lease> leases) {
		}

		@Override
		public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
			return new Claim("none", bucket, List.copyOf(keys), List.of(), List.of());
		}

		@Override
		public void deleted(Claim claim, Collection<String> deletedKeys) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCleanupQueue {

		@Bean
		S3CleanupQueue myCleanupQueue() {
			return (S3Bucket bucket, Collection<String> keys, TransactionHooks transaction) -> {
			};
		}

	}

}
