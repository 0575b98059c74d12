package io.mutationhooks.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.jdbc.repository.config.AbstractJdbcConfiguration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;

import io.mutationhooks.jdbc.HookedJdbcAggregateTemplate;
import io.mutationhooks.jdbc.MutationRunner;

/**
 * Declares the {@code jdbcAggregateTemplate} bean as a {@link HookedJdbcAggregateTemplate}, in place of the plain
 * one Spring Boot would declare, under the same conditions as Boot's. Where the application declares its own
 * template (its own {@link AbstractJdbcConfiguration}, say), Boot's and this one back off, and
 * {@link MutationHooksAutoConfiguration} proxies the application's template instead.
 */
@AutoConfiguration(
		beforeName = "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration",
		afterName = { "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnClass({ NamedParameterJdbcOperations.class, AbstractJdbcConfiguration.class })
@ConditionalOnBean({ NamedParameterJdbcOperations.class, PlatformTransactionManager.class })
@ConditionalOnBooleanProperty(name = "spring.data.jdbc.repositories.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = MutationHooksProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnMissingBean(AbstractJdbcConfiguration.class)
public final class HookedJdbcAggregateTemplateAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(JdbcAggregateTemplate.class)
	HookedJdbcAggregateTemplate jdbcAggregateTemplate(ApplicationContext applicationContext,
			JdbcMappingContext mappingContext, JdbcConverter converter, DataAccessStrategy dataAccessStrategy,
			ObjectProvider<MutationRunner> runner) {
		return new HookedJdbcAggregateTemplate(applicationContext, mappingContext, converter, dataAccessStrategy,
				SingletonSupplier.of(runner::getObject));
	}

}
