package io.mutationhooks.autoconfigure;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.jdbc.support.JdbcAccessor;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;

import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.jdbc.HookedAggregateOperationsPostProcessor;
import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.jdbc.RepositoryHooksPostProcessor;
import io.mutationhooks.jdbc.RowLocks;
import io.mutationhooks.logging.LoggingHook;
import io.mutationhooks.transaction.MissedBeforeCommits;

/**
 * Runs every {@link Hook} bean around the writes of Spring Data JDBC repositories and of the
 * {@code JdbcAggregateTemplate}, inside the write's transaction.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnClass(JdbcAggregateOperations.class)
@ConditionalOnBooleanProperty(name = MutationHooksProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(JdbcConverter.class)
@EnableConfigurationProperties(MutationHooksProperties.class)
public final class MutationHooksAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(MutationHooksAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	HookRegistry mutationHookRegistry(ObjectProvider<Hook> hooks, ListableBeanFactory beanFactory) {
		List<Hook> ordered = hooks.orderedStream().toList();
		// Named by the bean that declared them, for listings and failure messages.
		Map<Hook, String> beanNames = new IdentityHashMap<>();
		beanFactory.getBeansOfType(Hook.class).forEach((name, hook) -> beanNames.put(hook, name));
		return HookRegistry.of(ordered, beanNames::get);
	}

	@Bean
	@ConditionalOnMissingBean
	MutationRunner mutationRunner(HookRegistry registry, JdbcConverter converter,
			ObjectProvider<NamedParameterJdbcOperations> jdbc, ObjectProvider<Dialect> dialect,
			ObjectProvider<PlatformTransactionManager> transactionManagers) {
		NamedParameterJdbcOperations operations = jdbc.getIfUnique();
		return new MutationRunner(registry, converter, transactionManagerOf(operations, transactionManagers),
				RowLocks.forDatabase(operations, converter, dialect.getIfUnique()));
	}

	/**
	 * The transaction manager of the data source Spring Data JDBC writes to; the only one if that cannot be told;
	 * none if there are several (the runner then warns that writes are not atomic).
	 */
	static PlatformTransactionManager transactionManagerOf(NamedParameterJdbcOperations jdbc,
			ObjectProvider<PlatformTransactionManager> transactionManagers) {
		DataSource dataSource = jdbc != null && jdbc.getJdbcOperations() instanceof JdbcAccessor accessor
				? accessor.getDataSource() : null;
		if (dataSource != null) {
			for (PlatformTransactionManager manager : transactionManagers.orderedStream().toList()) {
				if (manager instanceof ResourceTransactionManager resource
						&& resource.getResourceFactory() == dataSource) {
					return manager;
				}
			}
		}
		return transactionManagers.getIfUnique();
	}

	/** Fails start-up for a {@code @Bean} hook method that returned {@literal null}: it would never run. */
	@Bean
	static SmartInitializingSingleton nullHookBeanCheck(ListableBeanFactory beanFactory) {
		return () -> {
			for (String name : beanFactory.getBeanNamesForType(Hook.class)) {
				if (!(beanFactory.getBean(name) instanceof Hook)) {
					throw new IllegalStateException("Hook bean '" + name + "' is null: its @Bean method returned "
							+ "null, so it would never run; return a Hook, such as next -> m -> next.mutate(m)");
				}
			}
		};
	}

	/** Warns when the user's own registry leaves out hook beans, which would then never run. */
	@Bean
	static SmartInitializingSingleton unregisteredHookBeanCheck(ListableBeanFactory beanFactory) {
		return () -> {
			HookRegistry registry = beanFactory.getBeanProvider(HookRegistry.class).getIfUnique();
			if (registry == null) {
				return;
			}
			beanFactory.getBeansOfType(Hook.class).forEach((name, hook) -> {
				if (!registry.globalHooks().contains(hook) && !registry.entityHooks().contains(hook)) {
					logger.warn("Hook bean '{}' is not in the HookRegistry bean, so it never runs; add it to your "
							+ "registry or let the starter build the registry", name);
				}
			});
		};
	}

	/** Logs the hook chain of each entity type at DEBUG once the context is up (see {@link HookChainReport}). */
	@Bean
	static SmartInitializingSingleton hookChainReport(ListableBeanFactory beanFactory) {
		return () -> {
			HookRegistry registry = beanFactory.getBeanProvider(HookRegistry.class).getIfUnique();
			RelationalMappingContext mappingContext = beanFactory.getBeanProvider(RelationalMappingContext.class)
				.getIfUnique();
			if (registry != null && mappingContext != null) {
				HookChainReport.log(registry, mappingContext);
			}
		};
	}

	@Bean
	static UnknownPropertiesCheck mutationHooksUnknownPropertiesCheck(Environment environment) {
		return new UnknownPropertiesCheck(environment);
	}

	/**
	 * Lets before-commit actions registered while a transaction commits run before it commits: a hook's
	 * {@code m.transaction().beforeCommit}, the check of the S3 objects a write refers to.
	 */
	@Bean
	static BeanPostProcessor mutationHooksMissedBeforeCommits() {
		return MissedBeforeCommits.installer();
	}

	@Bean
	static HookedAggregateOperationsPostProcessor hookedAggregateOperationsPostProcessor() {
		return new HookedAggregateOperationsPostProcessor();
	}

	@Bean
	static RepositoryHooksPostProcessor repositoryHooksPostProcessor() {
		return new RepositoryHooksPostProcessor();
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(MutationHooksProperties.PREFIX + ".logging.enabled")
	LoggingHook mutationLoggingHook() {
		return new LoggingHook();
	}

}
