package io.mutationhooks.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Broken hooks get a clear error that names the entity and the operation, and nothing is written.
 */
@SpringBootTest(classes = TestApplication.class)
class BadInputIntegrationTests {

	@Autowired
	UserRepository users;

	@Autowired
	SwitchableHook hook;

	@Autowired
	HookRegistry registry;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
		this.hook.reset();
	}

	@Test
	void hookReturningNullFromApplyIsRefusedAndNothingIsWritten() {
		this.hook.set(next -> null);

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.users.save(new User("ann", null)))
			.withMessageContaining("CREATE of User failed")
			.withMessageContaining("returned null from apply(next)")
			.satisfies(ex -> assertThat(ex.getOp()).isEqualTo(Op.CREATE));
		assertThat(this.users.count()).isZero();
	}

	@Test
	void hookReturningNullInsteadOfTheSavedEntityRollsBack() {
		this.hook.set(next -> m -> {
			next.mutate(m);
			return null;
		});

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.users.save(new User("ann", null)))
			.withMessageContaining("returned null instead of the written entity");
		assertThat(this.users.count()).isZero();
	}

	@Test
	void hookThrowingACheckedExceptionIsWrappedWithTheReason() {
		this.hook.set(next -> m -> {
			throw new java.io.IOException("disk full");
		});

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.users.save(new User("ann", null)))
			.withMessage("CREATE of User failed in hook 'switchableHook': IOException: disk full")
			.withCauseInstanceOf(java.io.IOException.class)
			.satisfies(ex -> assertThat(ex.getEntityType()).isEqualTo(User.class));
		assertThat(this.users.count()).isZero();
	}

	@Test
	void setFieldOfAnUnknownFieldNamesTheFieldsThereAre() {
		this.hook.set(next -> m -> {
			m.setField("nmae", "x");
			return next.mutate(m);
		});

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.users.save(new User("ann", null)))
			.withMessageContaining("User has no field 'nmae'")
			.withMessageContaining("name");
		assertThat(this.users.count()).isZero();
	}

	@Test
	void usingANullHookIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.use((Hook) null))
			.withMessageContaining("hook at index 0 is null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.use(User.class, (Hook[]) null))
			.withMessageContaining("hooks must not be null");
	}

}
