package io.mutationhooks.jdbc;

import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.BadSqlGrammarException;
import io.mutationhooks.testapp.ReadCallbacks;
import io.mutationhooks.testapp.Ghost;
import io.mutationhooks.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.AccountRepository;
import io.mutationhooks.testapp.Post;
import io.mutationhooks.testapp.PostRepository;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hooks see the stored state before the write: for updates, for deletes by id where the caller passed no entity,
 * and for bulk deletes, derived {@code deleteBy...} methods included; fields and cleared fields of an update are
 * computed against it.
 */
@SpringBootTest(classes = TestApplication.class)
class OldStateIntegrationTests {

	@Autowired
	UserRepository users;

	@Autowired
	AccountRepository accounts;

	@Autowired
	PostRepository posts;

	@Autowired
	SwitchableHook hook;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	ReadCallbacks readCallbacks;

	final List<Object> seen = new CopyOnWriteArrayList<>();

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
		this.hook.reset();
	}

	@Test
	void updateOneSeesOldFieldsAndWhatChanged() {
		User ann = this.users.save(new User("ann", "ann@example.com"));
		this.hook.set(next -> m -> {
			this.seen.add(m.oldField("name").orElseThrow());
			this.seen.add(m.fields());
			this.seen.add(m.clearedFields());
			this.seen.add(m.field("name").orElseThrow());
			return next.mutate(m);
		});
		ann.setName("anne");
		ann.setEmail(null);

		this.users.save(ann);

		assertThat(this.seen).containsExactly("ann", java.util.Set.of("name", "email"), java.util.Set.of("email"),
				"anne");
	}

	@Test
	void anUpdateOfAnEntityWithoutIdFailsAsSpringDataFailsItWhenAHookAsksForOldState() {
		Class<? extends Throwable> springData = catchThrowable(() -> this.template.update(new User("ann", "a@b.c")))
			.getClass();
		this.hook.set(next -> m -> {
			this.seen.add(String.valueOf(m.oldEntity()));
			return next.mutate(m);
		});

		assertThat(catchThrowable(() -> this.template.update(new User("ann", "a@b.c")))).isExactlyInstanceOf(springData);
		assertThat(this.seen).containsExactly("null");
	}

	@Test
	void deleteByIdSeesTheStoredEntityTheCallerNeverPassed() {
		User ann = this.users.save(new User("ann", "ann@example.com"));
		this.hook.set(next -> m -> {
			this.seen.add(((User) m.oldEntity()).getEmail());
			return next.mutate(m);
		});

		this.users.deleteById(ann.getId());

		assertThat(this.seen).containsExactly("ann@example.com");
	}

	@Test
	void deleteOfARecordSeesItsStoredState() {
		Account account = this.accounts.save(Account.of("ann", "pro"));
		this.hook.set(next -> m -> {
			this.seen.add(m.oldField("plan").orElseThrow());
			return next.mutate(m);
		});

		this.accounts.delete(account);

		assertThat(this.seen).containsExactly("pro");
	}

	@Test
	void bulkDeletesSeeEveryStoredEntity() {
		User ann = this.users.save(new User("ann", null));
		User bob = this.users.save(new User("bob", null));
		this.users.save(new User("cid", null));
		this.hook.set(next -> m -> {
			this.seen.add(m.oldEntities().stream().map(user -> ((User) user).getName()).sorted().toList());
			return next.mutate(m);
		});

		this.users.deleteAllById(List.of(ann.getId(), bob.getId()));
		this.users.deleteAll();

		assertThat(this.seen).containsExactly(List.of("ann", "bob"), List.of("cid"));
	}

	@Test
	void aBulkDeleteWhoseHookWritesItsOwnTypeStillDeletesExactlyTheRowsItsHooksSaw() {
		// More than one page of 1000.
		List<Object[]> names = new ArrayList<>();
		for (int i = 1; i <= 1200; i++) {
			names.add(new Object[] { "user " + i });
		}
		this.jdbc.batchUpdate("INSERT INTO app_user (name) VALUES (?)", names);
		List<Integer> seenPerPage = new CopyOnWriteArrayList<>();
		this.hook.set(next -> m -> {
			if (m.op() == Op.DELETE) {
				seenPerPage.add(m.oldEntities().size());
				if (seenPerPage.size() == 1) {
					// A hooked write of the same type: the old state the hooks read goes stale.
					this.users.save(new User("written by a hook", null));
				}
			}
			return next.mutate(m);
		});

		this.users.deleteAll();

		assertThat(seenPerPage).as("two pages, each deleted as its hooks saw it").hasSize(2);
		assertThat(seenPerPage.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1200);
		assertThat(this.jdbc.queryForList("SELECT name FROM app_user", String.class))
			.as("the row the hook wrote, after the call began, is no row its hooks saw")
			.containsExactly("written by a hook");
	}

	@Test
	void deleteAllIdsAreReadFromTheTableWhenAskedBeforeTheWrite() {
		User ann = this.users.save(new User("ann", null));
		this.hook.set(next -> m -> {
			this.seen.add(m.ids());
			return next.mutate(m);
		});

		this.users.deleteAll();

		assertThat(this.seen).containsExactly(List.of(ann.getId()));
	}

	@Test
	void askingForOldStateAfterTheWriteIsAClearErrorAndNothingIsWritten() {
		User ann = this.users.save(new User("ann", null));
		this.hook.set(next -> m -> {
			Object result = next.mutate(m);
			m.oldEntity();
			return result;
		});

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.users.deleteById(ann.getId()))
			.withMessageContaining("was asked for after the write")
			.withMessageContaining("before calling next.mutate(mutation)");
		assertThat(this.users.count()).isOne();
	}

	@Test
	void oldStateLoadedBeforeTheWriteIsStillThereAfterIt() {
		User ann = this.users.save(new User("ann", null));
		this.hook.set(next -> m -> {
			m.oldEntity();
			Object result = next.mutate(m);
			this.seen.add(((User) m.oldEntity()).getName());
			return result;
		});

		this.users.deleteById(ann.getId());

		assertThat(this.seen).containsExactly("ann");
	}

	@Test
	void readingOldStateCallsNoneOfTheApplicationsReadCallbacks() {
		User ann = this.users.save(new User("ann", "ann@example.com"));
		this.hook.set(next -> m -> {
			if (m.op().is(Op.UPDATE_ONE, Op.DELETE_ONE, Op.DELETE)) {
				this.seen.add(m.oldEntities().size());
			}
			return next.mutate(m);
		});
		this.readCallbacks.reset();

		ann.setName("anne");
		this.users.save(ann);
		this.users.deleteById(ann.getId());
		this.users.deleteAll();

		assertThat(this.seen).containsExactly(1, 1, 0);
		assertThat(this.readCallbacks.callbacks()).isZero();
		assertThat(this.readCallbacks.events()).isZero();
	}

	@Test
	void theApplicationsOwnReadsStillCallItsReadCallbacks() {
		User ann = this.users.save(new User("ann", "ann@example.com"));
		this.readCallbacks.reset();

		this.users.findById(ann.getId());

		assertThat(this.readCallbacks.callbacks()).isOne();
		assertThat(this.readCallbacks.events()).isOne();
	}

	@Test
	void aFailingOldStateQuerySurfacesAsTheDataAccessExceptionItIs() {
		this.hook.set(next -> m -> {
			m.oldEntities();
			return next.mutate(m);
		});

		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> this.template.deleteAll(Ghost.class));
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> this.template.deleteById(1L, Ghost.class));
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> this.template.update(new Ghost(1L, "casper")));
	}

	@Test
	void aWriteOfTheSameRowInAHookRefreshesTheOldStateOfTheWriteAroundIt() {
		User ann = this.users.save(new User("ann", "a0@example.com"));
		this.hook.set(next -> m -> {
			if (m.op() == Op.DELETE_ONE) {
				this.seen.add(((User) m.oldEntity()).getEmail());
				User renamed = new User("ann", "a1@example.com");
				renamed.setId(ann.getId());
				this.users.save(renamed);
				this.seen.add(((User) m.oldEntity()).getEmail());
			}
			return next.mutate(m);
		});

		this.users.deleteById(ann.getId());

		assertThat(this.seen).containsExactly("a0@example.com", "a1@example.com");
		assertThat(this.users.count()).isZero();
	}

	/**
	 * A derived {@code deleteBy...} method tells hooks its rows: the aggregates its criteria match, read under lock
	 * before it runs; exactly those are deleted, and the method returns what Spring Data returns. A
	 * {@code @Modifying @Query} delete keeps its rows unknown.
	 */
	@Nested
	class DerivedDeletes {

		final List<Mutation<?>> mutations = new CopyOnWriteArrayList<>();

		final List<Object> ids = new CopyOnWriteArrayList<>();

		final List<String> oldEmails = new CopyOnWriteArrayList<>();

		@Test
		void hooksSeeTheIdsAndOldEntitiesOfTheRowsADerivedDeleteRemoves() {
			User ann = users.save(new User("ann", "ann-1"));
			User otherAnn = users.save(new User("ann", "ann-2"));
			users.save(new User("bob", "bob-1"));
			recordRows();

			users.deleteByName("ann");

			assertThat(this.mutations).singleElement().satisfies(m -> {
				assertThat(m.op()).isEqualTo(Op.DELETE);
				assertThat(m.rowsKnown()).isTrue();
				assertThat(m.query()).contains("UserRepository.deleteByName(String)");
			});
			assertThat(this.ids).containsExactlyInAnyOrder(ann.getId(), otherAnn.getId());
			assertThat(this.oldEmails).containsExactlyInAnyOrder("ann-1", "ann-2");
			assertThat(users.findAll()).extracting(User::getEmail).containsExactly("bob-1");
		}

		@Test
		void aDerivedDeleteThatMatchesNothingShowsHooksNoRowsAndDeletesNothing() {
			users.save(new User("bob", "bob-1"));
			recordRows();

			long deleted = users.removeByName("nobody");

			assertThat(deleted).isZero();
			assertThat(this.mutations).singleElement().satisfies(m -> assertThat(m.rowsKnown()).isTrue());
			assertThat(this.ids).isEmpty();
			assertThat(this.oldEmails).isEmpty();
			assertThat(users.count()).isOne();
		}

		@Test
		void aDerivedDeleteReturnsWhatSpringDataReturnsForTheRowsItDeleted() {
			users.save(new User("ann", "ann-1"));
			users.save(new User("ann", "ann-2"));
			users.save(new User("bob", "bob-1"));
			recordRows();

			assertThat(users.removeByName("ann")).isEqualTo(2L);
			assertThat(users.deleteByEmailStartingWith("bob")).isTrue();
			assertThat(users.deleteByEmailStartingWith("bob")).isFalse();
			assertThat(this.oldEmails).containsExactlyInAnyOrder("ann-1", "ann-2", "bob-1");
		}

		@Test
		void aDerivedDeleteMatchesAsSpringDataDoesEscapingWildcardsInTheArgument() {
			users.save(new User("ann", "a_1"));
			users.save(new User("bob", "ab1"));
			recordRows();

			users.deleteByEmailStartingWith("a_");

			assertThat(this.oldEmails).containsExactly("a_1");
			assertThat(users.findAll()).extracting(User::getEmail).containsExactly("ab1");
		}

		@Test
		void aDerivedDeleteOfAggregatesWithChildrenDeletesTheChildrenOfTheRowsItRead() {
			Post pinned = posts.save(new Post("pinned", "first", "second"));
			posts.save(new Post("kept", "third"));
			hook.set(next -> m -> {
				this.ids.addAll(m.ids());
				return next.mutate(m);
			});

			posts.deleteByTitle("pinned");

			assertThat(this.ids).containsExactly(pinned.getId());
			assertThat(jdbc.queryForList("SELECT text FROM comment", String.class)).containsExactly("third");
		}

		@Test
		void aModifyingQueryDeleteStillHasItsRowsUnknown() {
			users.save(new User("ann", "ann@example.com"));
			hook.set(next -> m -> {
				this.mutations.add(m);
				assertThatIllegalStateException().isThrownBy(m::ids);
				assertThatIllegalStateException().isThrownBy(m::oldEntities);
				return next.mutate(m);
			});

			users.deleteByEmailQuery("ann@example.com");

			assertThat(this.mutations).singleElement().satisfies(m -> {
				assertThat(m.op()).isEqualTo(Op.DELETE);
				assertThat(m.rowsKnown()).isFalse();
			});
			assertThat(users.count()).isZero();
		}

		/** Records, for each delete, the mutation, its ids and the emails of its old entities. */
		private void recordRows() {
			hook.set(next -> m -> {
				this.mutations.add(m);
				this.ids.addAll(m.ids());
				m.oldEntities().forEach(old -> this.oldEmails.add(((User) old).getEmail()));
				return next.mutate(m);
			});
		}

	}

}
