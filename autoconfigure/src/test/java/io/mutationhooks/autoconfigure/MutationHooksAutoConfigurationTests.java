package io.mutationhooks.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactory;
import org.springframework.data.repository.Repository;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.RuntimeBeanReference;
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
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.data.jdbc.repository.config.AbstractJdbcConfiguration;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.data.relational.core.mapping.event.BeforeSaveEvent;
import org.springframework.data.relational.core.mapping.event.RelationalEvent;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionExecutionListener;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Mutator;
import io.mutationhooks.Op;
import io.mutationhooks.jdbc.HookedAggregateOperationsPostProcessor;
import io.mutationhooks.jdbc.HookedJdbcAggregateTemplate;
import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.logging.LoggingHook;
import io.mutationhooks.testapp.User;
import io.mutationhooks.transaction.MissedBeforeCommits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration switches on with Spring Data JDBC, backs off to the user's beans, and switches off when
 * told to or when Spring Data JDBC is missing.
 */
class MutationHooksAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, DataJdbcRepositoriesAutoConfiguration.class,
				HookedJdbcAggregateTemplateAutoConfiguration.class, MutationHooksAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig;DB_CLOSE_DELAY=-1;CASE_INSENSITIVE_IDENTIFIERS=TRUE",
				"spring.datasource.generate-unique-name=true")
		.withUserConfiguration(TestEntities.class);

	@Test
	void declaresTheHookedTemplateInPlaceOfBootsWhenSpringDataJdbcIsPresent() {
		this.contextRunner.run(context -> {
			assertThat(context).hasSingleBean(HookRegistry.class)
				.hasSingleBean(MutationRunner.class)
				.hasSingleBean(JdbcAggregateTemplate.class);
			JdbcAggregateTemplate template = context.getBean("jdbcAggregateTemplate", JdbcAggregateTemplate.class);
			assertThat(template).isInstanceOf(HookedJdbcAggregateTemplate.class);
			assertThat(AopUtils.isAopProxy(template)).isFalse();
			assertThat(context).doesNotHaveBean(LoggingHook.class);
		});
	}

	@Test
	void switchingLifecycleEventsOffReachesTheWritesThatRunHooks() {
		List<Op> seen = new CopyOnWriteArrayList<>();
		List<ApplicationEvent> events = new CopyOnWriteArrayList<>();
		this.contextRunner.withBean("recordingHook", Hook.class, () -> recording(seen))
			.withBean(ApplicationListener.class, () -> (ApplicationListener<ApplicationEvent>) event -> {
				if (event instanceof RelationalEvent<?>) {
					events.add(event);
				}
			})
			.withPropertyValues(WITH_SCHEMA)
			.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
			.run(context -> {
				JdbcAggregateTemplate template = context.getBean(JdbcAggregateTemplate.class);
				template.insert(new User("ann", null));
				assertThat(events).hasAtLeastOneElementOfType(BeforeSaveEvent.class);
				events.clear();

				template.setEntityLifecycleEventsEnabled(false);
				template.insert(new User("bob", null));

				assertThat(events).isEmpty();
				assertThat(seen).containsExactly(Op.CREATE, Op.CREATE);
			});
	}

	@Nested
	class ApplicationsOwnJdbcConfiguration {

		@Test
		void itsTemplateIsProxiedAndRunsTheHooks() {
			List<Op> seen = new CopyOnWriteArrayList<>();
			contextRunner.withUserConfiguration(OwnJdbcConfiguration.class)
				.withBean("recordingHook", Hook.class, () -> recording(seen))
				.withPropertyValues(WITH_SCHEMA)
				.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
				.run(context -> {
					JdbcAggregateTemplate template = context.getBean(JdbcAggregateTemplate.class);
					assertThat(template).isNotInstanceOf(HookedJdbcAggregateTemplate.class);
					assertThat(AopUtils.isCglibProxy(template)).isTrue();

					User saved = template.insert(new User("ann", null));
					template.deleteById(saved.getId(), User.class);

					assertThat(seen).containsExactly(Op.CREATE, Op.DELETE_ONE);
					assertThat(template.count(User.class)).isZero();
				});
		}

	}

	@Test
	void queryWritesOfRepositoriesFromAJdbcRepositoryFactoryBeanRunTheHooks() {
		List<Op> seen = new CopyOnWriteArrayList<>();
		this.contextRunner.withUserConfiguration(RepositoryFactoryBean.class)
			.withBean("recordingHook", Hook.class, () -> recording(seen))
			.withPropertyValues(WITH_SCHEMA)
			.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
			.run(context -> {
				assertThat(context).hasNotFailed();
				FactoryUsers users = context.getBean(FactoryUsers.class);

				users.deleteByName("ann");

				assertThat(seen).containsExactly(Op.DELETE);
			});
	}

	@Test
	void aJdbcRepositoryFactoryBeanOnItsOwnTemplateFailsStartUpInsteadOfMissingHooks() {
		this.contextRunner.withUserConfiguration(PrivateRepositoryFactoryBean.class).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageStartingWith("JdbcRepositoryFactory 'privateRepositoryFactory' is built on its own "
						+ "JdbcAggregateTemplate")
				.hasMessageContaining("mutation hooks would silently miss its writes");
		});
	}

	private static final String[] WITH_SCHEMA = { "spring.sql.init.mode=always",
			"spring.sql.init.schema-locations=classpath:schema-h2.sql" };

	private static Hook recording(List<Op> seen) {
		return next -> m -> {
			seen.add(m.op());
			return next.mutate(m);
		};
	}

	@Test
	void loggingHookIsAddedWhenEnabled() {
		this.contextRunner.withPropertyValues("mutation-hooks.logging.enabled=true")
			.run(context -> assertThat(context).hasSingleBean(LoggingHook.class));
	}

	@Test
	void bootsTransactionManagerRunsTheBeforeCommitsRegisteredWhileItCommits() {
		this.contextRunner.run(context -> assertThat(
				context.getBean(JdbcTransactionManager.class).getTransactionExecutionListeners())
			.hasExactlyElementsOfTypes(MissedBeforeCommits.class));
	}

	@Test
	void theApplicationsOwnTransactionManagerRunsTheBeforeCommitsRegisteredWhileItCommits() {
		this.contextRunner.withUserConfiguration(OwnTransactionManager.class)
			.run(context -> assertThat(context.getBean(PlatformTransactionManager.class))
				.isInstanceOf(DataSourceTransactionManager.class)
				.isNotInstanceOf(JdbcTransactionManager.class)
				.extracting(manager -> ((DataSourceTransactionManager) manager).getTransactionExecutionListeners())
				.asInstanceOf(InstanceOfAssertFactories.COLLECTION)
				.hasExactlyElementsOfTypes(MissedBeforeCommits.class));
	}

	@Test
	void aTransactionManagerWrappedInAClassProxyGetsTheListenerOnTheBeanItself() {
		this.contextRunner.withUserConfiguration(OwnTransactionManager.class, ClassProxiedTransactionManager.class)
			.run(context -> {
				assertThat(context).hasNotFailed();
				PlatformTransactionManager manager = context.getBean(PlatformTransactionManager.class);
				assertThat(AopUtils.isCglibProxy(manager)).isTrue();
				Object target = ((Advised) manager).getTargetSource().getTarget();
				assertThat(((DataSourceTransactionManager) target).getTransactionExecutionListeners())
					.hasExactlyElementsOfTypes(MissedBeforeCommits.class);
			});
	}

	@Test
	void aTransactionManagerWhoseListenersTheApplicationSetAsAnUnmodifiableListGetsTheListenerToo() {
		TransactionExecutionListener own = new TransactionExecutionListener() {
		};
		this.contextRunner.withBean("ownTransactionManager", DataSourceTransactionManager.class, () -> {
			DataSourceTransactionManager manager = new DataSourceTransactionManager();
			manager.setTransactionExecutionListeners(List.of(own));
			return manager;
		}, definition -> definition.getPropertyValues().add("dataSource", new RuntimeBeanReference("dataSource")))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DataSourceTransactionManager.class).getTransactionExecutionListeners())
					.hasSize(2)
					.startsWith(own)
					.last()
					.isInstanceOf(MissedBeforeCommits.class);
			});
	}

	@Nested
	class SwitchedOff {

		@Test
		void byTheEnabledProperty() {
			contextRunner.withPropertyValues("mutation-hooks.enabled=false").run(context -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(HookRegistry.class).doesNotHaveBean(MutationRunner.class);
				assertThat(HookedAggregateOperationsPostProcessor.isHooked(context.getBean(JdbcAggregateTemplate.class)))
					.isFalse();
				assertThat(context.getBean(JdbcTransactionManager.class).getTransactionExecutionListeners()).isEmpty();
			});
		}

		@Test
		void whenSpringDataJdbcIsMissing() {
			contextRunner.withClassLoader(new FilteredClassLoader(JdbcAggregateOperations.class))
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HookRegistry.class));
		}

		@Test
		void whenThereIsNoJdbcConverter() {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(MutationHooksAutoConfiguration.class))
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HookRegistry.class));
		}

	}

	@Nested
	class BacksOff {

		@Test
		void toTheUsersRegistry() {
			contextRunner.withUserConfiguration(UserRegistry.class).run(context -> {
				assertThat(context).hasSingleBean(HookRegistry.class);
				assertThat(context.getBean(HookRegistry.class)).isSameAs(context.getBean("myRegistry"));
			});
		}

		@Test
		void toTheUsersRunner() {
			contextRunner.withUserConfiguration(UserRunner.class).run(context -> {
				assertThat(context).hasSingleBean(MutationRunner.class);
				assertThat(context.getBean(MutationRunner.class)).isSameAs(context.getBean("myRunner"));
			});
		}

		@Test
		void toTheUsersLoggingHook() {
			contextRunner.withPropertyValues("mutation-hooks.logging.enabled=true")
				.withUserConfiguration(UserLoggingHook.class)
				.run(context -> assertThat(context).hasSingleBean(LoggingHook.class).hasBean("myLoggingHook"));
		}

	}

	@Test
	void aHookBeanThatIsNullFailsStartUp() {
		this.contextRunner.withUserConfiguration(NullHook.class).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("Hook bean 'forgottenHook' is null");
		});
	}

	@Test
	void repositoryWithAPrivateTemplateFailsStartUpInsteadOfMissingHooks() {
		this.contextRunner.withUserConfiguration(PrivateTemplateRepositories.class).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("writes through its own JdbcAggregateTemplate")
				.hasMessageContaining("jdbcOperationsRef or dataAccessStrategyRef")
				.hasMessageMatching("Repository '\\w+Repository' \\(interface io\\.mutationhooks\\.testapp\\.\\w+Repository\\).*");
		});
	}

	@Test
	void repositoryWithThePrivateTemplateStartsWhenHooksAreOff() {
		this.contextRunner.withUserConfiguration(PrivateTemplateRepositories.class)
			.withPropertyValues("mutation-hooks.enabled=false")
			.run(context -> assertThat(context).hasNotFailed());
	}

	@Test
	void writesRunTheHooksOfTheApplicationsOwnImplementationOfTheRegistryInterface() {
		List<String> events = new CopyOnWriteArrayList<>();
		Hook hook = next -> m -> {
			events.add(m.op() + " " + m.type().getSimpleName());
			return next.mutate(m);
		};
		this.contextRunner.withBean(HookRegistry.class, () -> new OwnRegistry(HookRegistry.of(hook)))
			.withPropertyValues("spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:schema-h2.sql")
			.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
			.run(context -> {
				assertThat(context).getBean(HookRegistry.class).isInstanceOf(OwnRegistry.class);
				context.getBean(JdbcAggregateTemplate.class).insert(new User("ann", null));

				assertThat(events).containsExactly("CREATE User");
			});
	}

	@Test
	void startUpAndWritesNeverAskAHookBeanToDescribeItself() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.contextRunner.withBean("requestScopedHook", Hook.class, () -> new HookThatCannotDescribeItself(events))
			.withPropertyValues("spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:schema-h2.sql")
			.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
			.run(context -> {
				assertThat(context).hasNotFailed();
				context.getBean(JdbcAggregateTemplate.class).insert(new User("ann", null));

				assertThat(events).containsExactly("CREATE User");
			});
	}

	/** A hook bean whose {@code toString} fails, as that of a request-scoped proxy does outside a request. */
	record HookThatCannotDescribeItself(List<String> events) implements Hook {

		@Override
		public Mutator apply(Mutator next) {
			return m -> {
				this.events.add(m.op() + " " + m.type().getSimpleName());
				return next.mutate(m);
			};
		}

		@Override
		public String toString() {
			throw new IllegalStateException("No thread-bound request found");
		}

	}

	/** An application's own registry: the API interface, implemented by delegation. */
	record OwnRegistry(HookRegistry delegate) implements HookRegistry {

		@Override
		public void use(Hook... hooks) {
			this.delegate.use(hooks);
		}

		@Override
		public void use(Class<?> type, Hook... hooks) {
			this.delegate.use(type, hooks);
		}

		@Override
		public List<Hook> hooksFor(Class<?> type) {
			return this.delegate.hooksFor(type);
		}

		@Override
		public boolean hasHooks(Class<?> type) {
			return this.delegate.hasHooks(type);
		}

		@Override
		public List<Hook> globalHooks() {
			return this.delegate.globalHooks();
		}

		@Override
		public List<EntityHook> entityHooks() {
			return this.delegate.entityHooks();
		}

	}

	@Test
	void withoutATransactionManagerAfterCommitActionsRunRightAfterTheWrite() {
		List<String> events = new CopyOnWriteArrayList<>();
		Hook hook = next -> m -> {
			m.transaction().afterCommit(() -> events.add("after commit"));
			Object written = next.mutate(m);
			events.add("written");
			return written;
		};
		this.contextRunner.withUserConfiguration(UserRunner.class)
			.withBean("recordingHook", Hook.class, () -> hook)
			.withPropertyValues("spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:schema-h2.sql")
			.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
			.run(context -> {
				context.getBean(HookRegistry.class).use(hook);
				context.getBean(JdbcAggregateTemplate.class).insert(new User("ann", null));

				assertThat(events).containsExactly("written", "after commit");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTransactionManager {

		@Bean
		DataSourceTransactionManager ownTransactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

	}

	/** Wraps the transaction manager in a class proxy, as an aspect that matches it would. */
	@Configuration(proxyBeanMethods = false)
	static class ClassProxiedTransactionManager {

		@Bean
		static BeanPostProcessor classProxyOfTheTransactionManager() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof PlatformTransactionManager)) {
						return bean;
					}
					ProxyFactory proxy = new ProxyFactory(bean);
					proxy.setProxyTargetClass(true);
					return proxy.getProxy();
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage(basePackageClasses = User.class)
	static class TestEntities {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnJdbcConfiguration extends AbstractJdbcConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class NullHook {

		@Bean
		Hook forgottenHook() {
			return null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistry {

		@Bean
		HookRegistry myRegistry() {
			return HookRegistry.of();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRunner {

		@Bean
		HookRegistry myRunnersRegistry() {
			return HookRegistry.of();
		}

		@Bean
		MutationRunner myRunner(HookRegistry myRunnersRegistry, JdbcConverter converter) {
			return new MutationRunner(myRunnersRegistry, converter, null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLoggingHook {

		@Bean
		LoggingHook myLoggingHook() {
			return new LoggingHook();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableJdbcRepositories(basePackageClasses = User.class, jdbcOperationsRef = "namedParameterJdbcTemplate")
	static class PrivateTemplateRepositories {

	}

	/** A repository built by hand from a {@code JdbcRepositoryFactory} bean on the shared template. */
	interface FactoryUsers extends Repository<User, Long> {

		void deleteByName(String name);

	}

	@Configuration(proxyBeanMethods = false)
	static class RepositoryFactoryBean {

		@Bean
		JdbcRepositoryFactory repositoryFactory(JdbcAggregateOperations operations) {
			return new JdbcRepositoryFactory(operations);
		}

		@Bean
		FactoryUsers factoryUsers(JdbcRepositoryFactory repositoryFactory) {
			return repositoryFactory.getRepository(FactoryUsers.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrivateRepositoryFactoryBean {

		@Bean
		JdbcRepositoryFactory privateRepositoryFactory(DataAccessStrategy dataAccessStrategy,
				JdbcMappingContext mappingContext, JdbcConverter converter, Dialect dialect,
				ApplicationEventPublisher publisher, NamedParameterJdbcOperations jdbc) {
			return new JdbcRepositoryFactory(dataAccessStrategy, mappingContext, converter, dialect, publisher, jdbc);
		}

	}

}
