package io.mutationhooks.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Hooks;
import io.mutationhooks.Mutation;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.AccountRepository;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hooks change what is written before calling {@code next}, for mutable entities and records alike, and can read
 * and write other rows through the client without running the hooks again.
 */
@SpringBootTest(classes = TestApplication.class)
class ChangingWritesIntegrationTests {

	@Autowired
	UserRepository users;

	@Autowired
	AccountRepository accounts;

	@Autowired
	SwitchableHook hook;

	@Autowired
	JdbcTemplate jdbc;

	final List<Object> seen = new CopyOnWriteArrayList<>();

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
		this.hook.reset();
	}

	@Test
	void setFieldChangesWhatIsWrittenForAMutableEntity() {
		this.hook.set(next -> m -> {
			m.setField("email", "set-by-hook@example.com");
			return next.mutate(m);
		});

		User saved = this.users.save(new User("ann", null));

		assertThat(this.users.findById(saved.getId()).orElseThrow().getEmail()).isEqualTo("set-by-hook@example.com");
	}

	@Test
	void anEntityACreateHookGaveAnIdIsInserted() {
		this.hook.set(Hooks.on(next -> m -> {
			m.setField("id", 9_000_001L);
			return next.mutate(m);
		}, Op.CREATE));

		User saved = this.users.save(new User("ann", null));

		assertThat(saved.getId()).isEqualTo(9_000_001L);
		assertThat(this.users.findById(9_000_001L)).map(User::getName).hasValue("ann");
	}

	@Test
	void setFieldOnARecordWritesACopyAndReturnsIt() {
		this.hook.set(Hooks.forEntity(Account.class, (m, next) -> {
			m.setField("plan", "trial");
			return next.mutate(m);
		}));

		Account saved = this.accounts.save(Account.of("ann", "pro"));

		assertThat(saved.plan()).isEqualTo("trial");
		assertThat(this.accounts.findById(saved.id()).orElseThrow().plan()).isEqualTo("trial");
	}

	@Test
	void nextGivenAMutationWithAReplacedRecordWritesTheReplacement() {
		this.hook.set(Hooks.forEntity(Account.class, (m, next) -> next.mutate(m.withEntity(m.entity().withPlan("gold")))));

		Account saved = this.accounts.save(Account.of("ann", "pro"));

		assertThat(this.accounts.findById(saved.id()).orElseThrow().plan()).isEqualTo("gold");
	}

	@Test
	void aWriteFromInsideAHookRunsTheChainAgain() {
		this.hook.set(Hooks.on(next -> m -> {
			this.seen.add(((User) m.entity()).getName());
			if ("ann".equals(((User) m.entity()).getName())) {
				this.users.save(new User("audit of ann", null));
			}
			return next.mutate(m);
		}, Op.CREATE));

		this.users.save(new User("ann", null));

		assertThat(this.seen).containsExactly("ann", "audit of ann");
	}

	@Test
	void theClientWritesAndReadsWithoutRunningHooksAgain() {
		this.hook.set(Hooks.on(next -> m -> {
			this.seen.add(((User) m.entity()).getName());
			JdbcAggregateOperations client = m.client(JdbcAggregateOperations.class);
			client.insert(new User("audit of " + ((User) m.entity()).getName(), null));
			this.seen.add(client.count(User.class));
			return next.mutate(m);
		}, Op.CREATE));

		this.users.save(new User("ann", null));

		assertThat(this.seen).containsExactly("ann", 1L);
		assertThat(this.users.count()).isEqualTo(2);
	}

	@Test
	void typedHooksSeeTypedMutationsOfTheirEntityOnly() {
		this.hook.set(Hooks.forEntity(User.class, (Mutation<User> m, io.mutationhooks.Mutator next) -> {
			this.seen.add(m.entity() == null ? m.op() : m.entity().getName());
			return next.mutate(m);
		}));

		this.users.save(new User("ann", null));
		this.accounts.save(Account.of("bob", "free"));
		this.users.deleteAll();

		assertThat(this.seen).containsExactly("ann", Op.DELETE);
	}

}
