package io.mutationhooks.jdbc;

import org.junit.jupiter.api.Test;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.data.jdbc.core.convert.JdbcConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooked template overrides every write method of the Spring Data JDBC it runs on, and tells which ones a newer
 * version added.
 */
class HookedJdbcAggregateTemplateUnitTests {

	@Test
	void overridesEveryWriteMethodOfThisSpringDataJdbc() {
		assertThat(HookedJdbcAggregateTemplate.writeMethodsNotOverridden(JdbcAggregateTemplate.class,
				HookedJdbcAggregateTemplate.class))
			.isEmpty();
	}

	@Test
	void namesTheWriteMethodsOfANewerTemplateItDoesNotOverride() {
		assertThat(HookedJdbcAggregateTemplate.writeMethodsNotOverridden(NewerTemplate.class,
				HookedJdbcAggregateTemplate.class))
			.containsExactly("merge", "truncate");
	}

	/** A template as a later Spring Data JDBC might have it: two new writes, one new read. */
	static class NewerTemplate extends JdbcAggregateTemplate {

		NewerTemplate(JdbcConverter converter, DataAccessStrategy dataAccessStrategy) {
			super(converter, dataAccessStrategy);
		}

		public <T> T merge(T instance) {
			return instance;
		}

		public void truncate(Class<?> domainType) {
		}

		public <T> long countDistinct(Class<T> domainType) {
			return 0;
		}

	}

}
