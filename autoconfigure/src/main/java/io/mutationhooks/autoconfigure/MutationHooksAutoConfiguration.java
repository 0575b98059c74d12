package io.mutationhooks.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.transaction.PlatformTransactionManager;

import io.mutationhooks.Hook;
import io.mutationhooks.core.HookRegistry;
import io.mutationhooks.jdbc.HookedAggregateOperationsPostProcessor;
import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.jdbc.RepositoryHooksPostProcessor;
import io.mutationhooks.logging.LoggingHook;

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

	@Bean
	@ConditionalOnMissingBean
	HookRegistry mutationHookRegistry(ObjectProvider<Hook> hooks) {
		return new HookRegistry(hooks.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	MutationRunner mutationRunner(HookRegistry registry, JdbcConverter converter,
			ObjectProvider<PlatformTransactionManager> transactionManager) {
		return new MutationRunner(registry, converter, transactionManager.getIfUnique());
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
