package io.mutationhooks.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.test.context.ContextConfiguration;

import io.mutationhooks.Hook;
import io.mutationhooks.Hooks;
import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A {@code @DataJdbcTest} slice, which includes only the auto-configurations registered for it, runs the hooks it
 * imports around repository and template writes, as the application does.
 */
@DataJdbcTest
// The test application's H2 database, whose settings its schema needs (CASE_INSENSITIVE_IDENTIFIERS).
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(classes = TestApplication.class)
@Import(DataJdbcTestSliceTests.UserHooks.class)
class DataJdbcTestSliceTests {

	@Autowired
	UserRepository users;

	@Autowired
	JdbcAggregateTemplate template;

	@Test
	void aSliceTestRunsTheHooksItImportsAroundRepositoryWrites() {
		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.users.save(new User(null, "a@x")))
			.withMessageContaining("a user needs a name");
		assertThat(this.users.findAll()).isEmpty();
	}

	@Test
	void aSliceTestRunsTheHooksItImportsAroundTemplateWrites() {
		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> this.template.insert(new User(null, "a@x")))
			.withMessageContaining("a user needs a name");
		assertThat(this.template.findAll(User.class)).isEmpty();
	}

	/** The hook configuration a repository test imports, as the README's quick start declares it. */
	static class UserHooks {

		@Bean
		Hook requireName() {
			return Hooks.forEntity(User.class, (m, next) -> {
				if (m.op() == Op.CREATE && m.entity().getName() == null) {
					throw new IllegalArgumentException("a user needs a name");
				}
				return next.mutate(m);
			});
		}

	}

}
