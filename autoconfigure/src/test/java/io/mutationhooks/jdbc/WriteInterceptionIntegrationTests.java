package io.mutationhooks.jdbc;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Op;
import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.AccountRepository;
import io.mutationhooks.testapp.Post;
import io.mutationhooks.testapp.PostRepository;
import io.mutationhooks.testapp.RecordingHook;
import io.mutationhooks.testapp.RecordingHook.Seen;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Every write path of repositories and of the template runs the hooks, with the operation Spring Data performs.
 */
@SpringBootTest(classes = TestApplication.class)
class WriteInterceptionIntegrationTests {

	@Autowired
	UserRepository users;

	@Autowired
	AccountRepository accounts;

	@Autowired
	PostRepository posts;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	JdbcAggregateOperations operations;

	@Autowired
	RecordingHook recording;

	@Autowired
	SwitchableHook switchable;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
		this.recording.clear();
		this.switchable.reset();
	}

	@Test
	void everyPublicMethodOfTheTemplateIsAReadOrAWriteTheHooksKnow() {
		for (java.lang.reflect.Method method : JdbcAggregateOperations.class.getMethods()) {
			assertThat(HookedAggregateOperationsPostProcessor.isRead(method)
					|| HookedAggregateOperationsPostProcessor.WRITE_METHODS.contains(method.getName()))
				.as("JdbcAggregateOperations.%s is classified", method.getName())
				.isTrue();
		}
	}

	@Test
	void injectedTemplateAndOperationsAreTheSameHookedBean() {
		assertThat(this.template).isSameAs(this.operations).isInstanceOf(HookedJdbcAggregateTemplate.class);
		assertThat(HookedAggregateOperationsPostProcessor.isHooked(this.template)).isTrue();
	}

	@Nested
	class Repository {

		@Test
		void saveOfNewEntityIsCreate() {
			User saved = users.save(new User("ann", "ann@example.com"));

			assertThat(recording.seen()).extracting(Seen::op, Seen::type).containsExactly(tuple(Op.CREATE, User.class));
			assertThat(saved.getId()).isNotNull();
		}

		@Test
		void saveOfExistingEntityIsUpdateOne() {
			User saved = users.save(new User("ann", "ann@example.com"));
			recording.clear();
			saved.setName("anne");

			users.save(saved);

			assertThat(recording.seen()).extracting(Seen::op, Seen::id).containsExactly(tuple(Op.UPDATE_ONE, saved.getId()));
		}

		@Test
		void saveAllRunsOneMutationPerEntityAndReturnsAList() {
			User existing = users.save(new User("ann", null));
			recording.clear();

			List<User> saved = users.saveAll(List.of(existing, new User("bob", null)));

			assertThat(saved).hasSize(2).allSatisfy(user -> assertThat(user.getId()).isNotNull());
			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.UPDATE_ONE, Op.CREATE);
		}

		@Test
		void saveOfRecordIsCreateAndReturnsTheCopyWithItsId() {
			Account saved = accounts.save(Account.of("ann", "free"));

			assertThat(saved.id()).isNotNull();
			assertThat(recording.seen()).extracting(Seen::op, Seen::type).containsExactly(tuple(Op.CREATE, Account.class));
		}

		@Test
		void deleteIsDeleteOneWithTheEntityId() {
			User saved = users.save(new User("ann", null));
			recording.clear();

			users.delete(saved);

			assertThat(recording.seen()).extracting(Seen::op, Seen::id).containsExactly(tuple(Op.DELETE_ONE, saved.getId()));
			assertThat(users.count()).isZero();
		}

		@Test
		void deleteByIdIsDeleteOne() {
			User saved = users.save(new User("ann", null));
			recording.clear();

			users.deleteById(saved.getId());

			assertThat(recording.seen()).extracting(Seen::op, Seen::id).containsExactly(tuple(Op.DELETE_ONE, saved.getId()));
			assertThat(users.count()).isZero();
		}

		@Test
		void deleteAllByIdIsOneBulkDeleteWithTheIds() {
			User ann = users.save(new User("ann", null));
			User bob = users.save(new User("bob", null));
			recording.clear();

			users.deleteAllById(List.of(ann.getId(), bob.getId()));

			assertThat(recording.seen()).singleElement().satisfies(seen -> {
				assertThat(seen.op()).isEqualTo(Op.DELETE);
				assertThat(seen.mutation().ids()).containsExactly(ann.getId(), bob.getId());
			});
			assertThat(users.count()).isZero();
		}

		@Test
		void deleteAllOfEntitiesIsOneBulkDeleteWithTheirIds() {
			User ann = users.save(new User("ann", null));
			User bob = users.save(new User("bob", null));
			recording.clear();

			users.deleteAll(List.of(ann, bob));

			assertThat(recording.seen()).singleElement().satisfies(seen -> {
				assertThat(seen.op()).isEqualTo(Op.DELETE);
				assertThat(seen.mutation().ids()).containsExactly(ann.getId(), bob.getId());
			});
			assertThat(users.count()).isZero();
		}

		@Test
		void deleteAllIsOneBulkDeleteOfTheWholeType() {
			users.save(new User("ann", null));
			recording.clear();

			users.deleteAll();

			assertThat(recording.seen()).extracting(Seen::op, Seen::type).containsExactly(tuple(Op.DELETE, User.class));
			assertThat(users.count()).isZero();
		}

		@Test
		void derivedDeleteIsBulkDeleteNamingTheMethod() {
			users.save(new User("ann", null));
			recording.clear();

			users.deleteByName("ann");

			assertThat(recording.seen()).extracting(Seen::op, Seen::query)
				.containsExactly(tuple(Op.DELETE, "UserRepository.deleteByName(String)"));
			assertThat(users.count()).isZero();
		}

		@Test
		void derivedDeleteMarkedModifyingIsStillBulkDelete() {
			users.save(new User("ann", "ann@example.com"));
			recording.clear();

			users.removeByEmail("ann@example.com");

			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.DELETE);
			assertThat(users.count()).isZero();
		}

		@Test
		void hooksOfQueryWritesCanReadOtherRowsThroughTheClient() {
			users.save(new User("ann", null));
			users.save(new User("bob", null));
			List<Long> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
			switchable.set(next -> m -> {
				counted.add(m.client(JdbcAggregateOperations.class).count(User.class));
				return next.mutate(m);
			});

			users.deleteByName("ann");

			assertThat(counted).containsExactly(2L);
		}

		@Test
		void hooksOfQueryWritesWriteThroughTheClientWithoutRunningHooksAgain() {
			users.save(new User("ann", null));
			switchable.set(next -> m -> {
				if (m.op() == Op.DELETE) {
					m.client(JdbcAggregateOperations.class).insert(new User("audit: " + m.query().orElseThrow(), null));
				}
				return next.mutate(m);
			});
			recording.clear();

			users.deleteByName("ann");

			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.DELETE);
			assertThat(users.findAll()).extracting(User::getName)
				.containsExactly("audit: UserRepository.deleteByName(String)");
		}

		@Test
		void modifyingUpdateQueryIsBulkUpdate() {
			users.save(new User("ann", null));
			recording.clear();

			int updated = users.updateEmailByName("ann", "ann@example.com");

			assertThat(updated).isEqualTo(1);
			assertThat(recording.seen()).extracting(Seen::op, Seen::query)
				.containsExactly(tuple(Op.UPDATE, "UserRepository.updateEmailByName(String, String)"));
		}

		@Test
		void modifyingDeleteQueryIsBulkDelete() {
			users.save(new User("ann", "ann@example.com"));
			recording.clear();

			users.deleteByEmailQuery("ann@example.com");

			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.DELETE);
			assertThat(users.count()).isZero();
		}

		@Test
		void readsRunNoHooks() {
			users.save(new User("ann", null));
			recording.clear();

			users.findAll();
			users.findByName("ann");
			users.count();

			assertThat(recording.seen()).isEmpty();
		}

	}

	@Nested
	class Template {

		@Test
		void insertIsCreate() {
			User inserted = template.insert(new User("ann", null));

			assertThat(inserted.getId()).isNotNull();
			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.CREATE);
		}

		@Test
		void updateIsUpdateOne() {
			User user = template.insert(new User("ann", null));
			recording.clear();
			user.setName("anne");

			template.update(user);

			assertThat(recording.seen()).extracting(Seen::op, Seen::id).containsExactly(tuple(Op.UPDATE_ONE, user.getId()));
		}

		@Test
		void saveDecidesCreateOrUpdateAsSpringDataDoes() {
			User user = template.save(new User("ann", null));
			template.save(user);

			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.CREATE, Op.UPDATE_ONE);
		}

		@Test
		void insertAllAndUpdateAllRunOneMutationPerEntityAndReturnLists() {
			Iterable<User> inserted = template.insertAll(List.of(new User("ann", null), new User("bob", null)));
			List<User> updated = template.updateAll(inserted);

			assertThat(inserted).isInstanceOf(List.class).hasSize(2);
			assertThat(updated).hasSize(2);
			assertThat(recording.seen()).extracting(Seen::op)
				.containsExactly(Op.CREATE, Op.CREATE, Op.UPDATE_ONE, Op.UPDATE_ONE);
		}

		@Test
		void saveAllRunsOneMutationPerEntity() {
			List<Account> saved = template.saveAll(List.of(Account.of("ann", "free"), Account.of("bob", "pro")));

			assertThat(saved).extracting(Account::id).doesNotContainNull();
			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.CREATE, Op.CREATE);
		}

		@Test
		void deletesAreDeleteOneOrBulkDelete() {
			User ann = template.insert(new User("ann", null));
			User bob = template.insert(new User("bob", null));
			User cid = template.insert(new User("cid", null));
			User dan = template.insert(new User("dan", null));
			recording.clear();

			template.delete(ann);
			template.deleteById(bob.getId(), User.class);
			template.deleteAllById(List.of(cid.getId()), User.class);
			template.deleteAll(List.of(dan));
			template.deleteAll(User.class);

			assertThat(recording.seen()).extracting(Seen::op, Seen::id)
				.containsExactly(tuple(Op.DELETE_ONE, ann.getId()), tuple(Op.DELETE_ONE, bob.getId()),
						tuple(Op.DELETE, null), tuple(Op.DELETE, null), tuple(Op.DELETE, null));
			assertThat(template.count(User.class)).isZero();
		}

		@Test
		void upsertRunsTheHooksWhereSpringDataJdbcHasIt() throws Exception {
			java.lang.reflect.Method upsert = java.util.Arrays.stream(JdbcAggregateOperations.class.getMethods())
				.filter(method -> method.getName().equals("upsert"))
				.findFirst()
				.orElse(null);
			if (upsert == null) {
				assertThat(org.springframework.boot.SpringBootVersion.getVersion())
					.as("Spring Data JDBC has upsert from the version Boot 4.1 manages").startsWith("4.0");
				return;
			}
			User user = new User("ann", null);
			user.setId(4242L);

			upsert.invoke(template, user);
			user.setName("anne");
			upsert.invoke(template, user);

			assertThat(recording.seen()).extracting(Seen::op, Seen::id)
				.containsExactly(tuple(Op.CREATE, 4242L), tuple(Op.UPDATE_ONE, 4242L));
			assertThat(template.findById(4242L, User.class).getName()).isEqualTo("anne");
		}

		@Test
		void aggregateWithChildrenIsWrittenAndDeletedWhole() {
			Post post = posts.save(new Post("hello", "first", "second"));
			recording.clear();

			template.delete(post);

			assertThat(recording.seen()).extracting(Seen::op).containsExactly(Op.DELETE_ONE);
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM comment", Integer.class)).isZero();
		}

	}

	@Test
	void afterNextTheIdOfACreatedRecordIsTheOneTheDatabaseAssigned() {
		List<Object> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.switchable.set(next -> m -> {
			Object written = next.mutate(m);
			ids.add(m.id());
			return written;
		});

		Account saved = this.accounts.save(new Account(null, null, "ann", "free"));
		User user = this.users.save(new User("bob", null));

		assertThat(ids).containsExactly(saved.id(), user.getId());
		assertThat(saved.id()).isNotNull();
	}

	@Test
	void aModifyingInsertQueryIsACreateWhoseRowsAreUnknown() {
		this.users.insertByQuery("ann", "ann@example.com");

		assertThat(this.recording.seen()).singleElement().satisfies(seen -> {
			assertThat(seen.op()).isEqualTo(Op.CREATE);
			assertThat(seen.query()).isEqualTo("UserRepository.insertByQuery(String, String)");
			assertThat(seen.mutation().rowsKnown()).isFalse();
		});
		assertThat(this.users.findByName("ann")).hasSize(1);
	}

}
