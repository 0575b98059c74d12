package io.mutationhooks.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectHandler;
import io.mutationhooks.effects.Effects;
import io.mutationhooks.effects.scheduler.EffectRunner;
import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.transaction.MissedBeforeCommits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Durable effects switch on with db-scheduler and a data source, create their table on an embedded database, write
 * their own data as JSON while other tasks keep the application's serializer, and fail start-up naming what is wrong.
 */
class EffectsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, DbSchedulerAutoConfiguration.class,
				MutationHooksAutoConfiguration.class, EffectsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@Test
	void offersEffectsAndTheirBacklogAndRegistersTheirTaskWithTheScheduler() {
		this.contextRunner.run(context -> {
			assertThat(context).hasSingleBean(Effects.class).hasSingleBean(EffectBacklog.class).hasSingleBean(Scheduler.class);
			assertThat(context.getBeansOfType(Task.class).values()).extracting(Task::getName)
				.contains(EffectRunner.TASK_NAME);
		});
	}

	@Test
	void theTransactionManagerStoresEffectsFirstRequestedWhileItCommitsBeforeItCommits() {
		this.contextRunner.run(context -> assertThat(
				context.getBean(JdbcTransactionManager.class).getTransactionExecutionListeners())
			.as("without Spring Data JDBC, so without the hooks")
			.hasExactlyElementsOfTypes(MissedBeforeCommits.class));
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataJdbcRepositoriesAutoConfiguration.class))
			.run(context -> {
				assertThat(context).hasSingleBean(MutationRunner.class);
				assertThat(context.getBean(JdbcTransactionManager.class).getTransactionExecutionListeners())
					.as("once, though the hooks and the effects both add it")
					.hasExactlyElementsOfTypes(MissedBeforeCommits.class);
			});
	}

	@Test
	void createsTheTableOnAnEmbeddedDatabaseOnly() {
		this.contextRunner.run(context -> assertThat(tableExists(context.getBean(JdbcTemplate.class))).isTrue());
		this.contextRunner.withPropertyValues("mutation-hooks.jdbc.initialize-schema=never")
			.run(context -> assertThat(tableExists(context.getBean(JdbcTemplate.class))).isFalse());
	}

	@Test
	void createsTheTableUnderTheNameDbSchedulerIsGivenAndEffectsRunFromIt() {
		this.contextRunner.withUserConfiguration(CrmHandler.class)
			.withPropertyValues("db-scheduler.table-name=app_tasks")
			.run(context -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				assertThat(tableExists(jdbc)).as("db-scheduler's default table").isFalse();
				assertThat(jdbc.queryForList("SELECT LOWER(index_name) FROM information_schema.indexes "
						+ "WHERE LOWER(table_name) = 'app_tasks' AND LOWER(index_name) LIKE '%idx'", String.class))
					.containsExactlyInAnyOrder("app_tasks_execution_time_idx", "app_tasks_last_heartbeat_idx",
							"app_tasks_priority_execution_time_idx");

				context.getBean(Effects.class).request("crm-sync", "customer-7");

				await().atMost(Duration.ofSeconds(10))
					.until(() -> context.getBean(CrmHandler.class).handled, handled -> handled.contains("customer-7"));
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_tasks", Integer.class))
					.as("the effect ran, and is gone from the table").isZero();
			});
	}

	@Test
	void effectsAreStoredWithTheTransactionWhenDbSchedulerIsGivenATransactionAwareProxyOfItsDataSource() {
		this.contextRunner.withUserConfiguration(CrmHandler.class, TransactionAwareSchedulersDataSource.class)
			.run(context -> {
				TransactionTemplate transaction = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);

				transaction.executeWithoutResult(status -> {
					context.getBean(Effects.class).request("crm-sync", "customer-8");
					status.setRollbackOnly();
				});
				transaction.executeWithoutResult(status -> context.getBean(Effects.class).request("crm-sync",
						"customer-9"));

				await().atMost(Duration.ofSeconds(10))
					.until(() -> context.getBean(CrmHandler.class).handled, handled -> handled.contains("customer-9"));
				assertThat(context.getBean(CrmHandler.class).handled).as("rolled back with its transaction")
					.doesNotContain("customer-8");
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks", Integer.class)).isZero();
			});
	}

	@Test
	void aTableNameTheStarterCannotCreateFailsStartUpWithAReportNamingTheProperty() {
		this.contextRunner.withPropertyValues("db-scheduler.table-name=tasks; DROP TABLE users").run(context -> {
			assertThat(context).hasFailed();
			assertThat(FailureReport.of(context.getStartupFailure())).isEqualTo("""
					Description:
					Property db-scheduler.table-name is set to 'tasks; DROP TABLE users': the starter creates \
					db-scheduler's table under that name, and it is no plain table name (letters, digits and \
					underscores, with a schema and a dot before it or not)
					Action:
					Set db-scheduler.table-name to a plain table name, or create the table yourself and set \
					mutation-hooks.jdbc.initialize-schema=never.""");
		});
	}

	@Test
	void isOffWhenSwitchedOffOrWithoutDbScheduler() {
		this.contextRunner.withPropertyValues("mutation-hooks.effects.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Effects.class));
		this.contextRunner.withPropertyValues("mutation-hooks.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Effects.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(Scheduler.class))
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Effects.class));
	}

	@Test
	void aRetrySettingThatCannotWorkFailsStartUpWithAReportNamingThePropertyAndWhatToDo() {
		this.contextRunner.withPropertyValues("mutation-hooks.effects.retry.max-attempts=0").run(context -> {
			assertThat(context).hasFailed();
			assertThat(FailureReport.of(context.getStartupFailure())).isEqualTo("""
					Description:
					Property mutation-hooks.effects.retry.max-attempts is set to '0': it must be at least 1
					Action:
					Set mutation-hooks.effects.retry.max-attempts to 1 or more, or remove it for its default.""");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			initial-backoff=0s | Property mutation-hooks.effects.retry.initial-backoff is set to 'PT0S': it must be positive
			max-backoff=-1s    | Property mutation-hooks.effects.retry.max-backoff is set to 'PT-1S': it must be positive
			max-backoff=500ms  | Property mutation-hooks.effects.retry.max-backoff is set to 'PT0.5S': it must not be shorter than mutation-hooks.effects.retry.initial-backoff (PT1S)
			max-attempts=-3    | Property mutation-hooks.effects.retry.max-attempts is set to '-3': it must be at least 1
			""")
	void eachRetrySettingThatCannotWorkFailsStartUpWithAReportNamingTheProperty(String property, String description) {
		this.contextRunner.withPropertyValues("mutation-hooks.effects.retry." + property).run(context -> {
			assertThat(context).hasFailed();
			assertThat(FailureReport.of(context.getStartupFailure()))
				.startsWith("Description:\n" + description + "\nAction:\nSet ");
		});
	}

	@Test
	void twoHandlersOfOneNameFailStartUp() {
		this.contextRunner.withUserConfiguration(TwoHandlersNamedAlike.class)
			.run(context -> assertThat(context).getFailure()
				.hasMessageContaining("Two EffectHandlers are named 'crm-sync'"));
	}

	@Test
	void otherTasksKeepTheSerializerTheApplicationGaveTheScheduler() {
		this.contextRunner.withUserConfiguration(ApplicationsSerializer.class).run(context -> {
			Serializer serializer = context.getBean(DbSchedulerCustomizer.class).serializer().orElseThrow();
			assertThat(serializer.serialize("a task's own data"))
				.isEqualTo("upper:A TASK'S OWN DATA".getBytes(StandardCharsets.UTF_8));
		});
	}

	@Test
	void effectsGoWhereTheSchedulerStoresItsTasksAndRefuseATransactionOnAnotherDataSource() {
		this.contextRunner.withUserConfiguration(SchedulersOwnDataSource.class).run(context -> {
			DataSource schedulers = context.getBean(SchedulersOwnDataSource.class).dataSource;
			assertThat(tableExists(new JdbcTemplate(schedulers))).as("in the scheduler's DataSource").isTrue();
			assertThat(tableExists(context.getBean(JdbcTemplate.class))).as("in the application's").isFalse();

			Effects effects = context.getBean(Effects.class);
			TransactionTemplate onTheApplications = new TransactionTemplate(
					context.getBean(PlatformTransactionManager.class));
			assertThatIllegalStateException()
				.isThrownBy(() -> onTheApplications
					.executeWithoutResult(status -> effects.request("crm-sync", "customer-7")))
				.withMessageContaining("not on the DataSource effects are stored in");
			assertThat(new JdbcTemplate(schedulers).queryForObject("SELECT COUNT(*) FROM scheduled_tasks",
					Integer.class)).as("nothing stored").isZero();
		});
	}

	@Test
	void givesDbSchedulerDefaultsForAnEffectQueueThatTheApplicationsOwnValuesOverride() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("db-scheduler.polling-interval", "250ms")));

		new DbSchedulerDefaults().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("db-scheduler.polling-interval")).isEqualTo("250ms");
		assertThat(environment.getProperty("db-scheduler.heartbeat-interval")).isEqualTo("5s");
		assertThat(environment.getProperty("db-scheduler.always-persist-timestamp-in-utc")).isEqualTo("true");
	}

	@Test
	void leavesDbSchedulersDefaultsAloneWhenEffectsAreOff() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("mutation-hooks.effects.enabled", "false")));

		new DbSchedulerDefaults().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("db-scheduler.heartbeat-interval")).isNull();
	}

	private static boolean tableExists(JdbcTemplate jdbc) {
		return !jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE LOWER(table_name) = "
				+ "'scheduled_tasks'").isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoHandlersNamedAlike {

		@Bean
		EffectHandler<String> crm() {
			return EffectHandler.of("crm-sync", String.class, payload -> {
			});
		}

		@Bean
		EffectHandler<Integer> otherCrm() {
			return EffectHandler.of("crm-sync", Integer.class, payload -> {
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CrmHandler {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@Bean
		EffectHandler<String> crm() {
			return EffectHandler.of("crm-sync", String.class, this.handled::add);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TransactionAwareSchedulersDataSource {

		@Bean
		DbSchedulerCustomizer transactionAwareDataSource(DataSource dataSource) {
			return new DbSchedulerCustomizer() {
				@Override
				public Optional<DataSource> dataSource() {
					return Optional.of(new TransactionAwareDataSourceProxy(dataSource));
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SchedulersOwnDataSource {

		final EmbeddedDatabase dataSource = new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
			.generateUniqueName(true)
			.build();

		@Bean
		DbSchedulerCustomizer schedulersDataSource() {
			return new DbSchedulerCustomizer() {
				@Override
				public Optional<DataSource> dataSource() {
					return Optional.of(SchedulersOwnDataSource.this.dataSource);
				}
			};
		}

		@Bean
		EffectHandler<String> crm() {
			return EffectHandler.of("crm-sync", String.class, payload -> {
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationsSerializer {

		@Bean
		DbSchedulerCustomizer applicationsCustomizer() {
			return new DbSchedulerCustomizer() {
				@Override
				public Optional<Serializer> serializer() {
					return Optional.of(new Serializer() {
						@Override
						public byte[] serialize(Object data) {
							return ("upper:" + data.toString().toUpperCase()).getBytes(StandardCharsets.UTF_8);
						}

						@Override
						public <T> T deserialize(Class<T> type, byte[] data) {
							return type.cast(new String(data, StandardCharsets.UTF_8).substring(6).toLowerCase());
						}
					});
				}
			};
		}

	}

}
