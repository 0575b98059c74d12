package io.mutationhooks.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.AccountRepository;
import io.mutationhooks.testapp.Ledger;
import io.mutationhooks.testapp.Post;
import io.mutationhooks.testapp.PostRepository;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hooks run inside the write's transaction: a failing hook leaves nothing written, with or without the caller's
 * transaction, and transaction hooks run on commit or rollback only, of the transaction or of a savepoint.
 */
@SpringBootTest(classes = TestApplication.class)
class TransactionIntegrationTests {

	@Autowired
	UserRepository users;

	@Autowired
	AccountRepository accounts;

	@Autowired
	PostRepository posts;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	SwitchableHook hook;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	final List<String> events = new CopyOnWriteArrayList<>();

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
		this.hook.reset();
	}

	/** Saves {@code user} from a synchronization's beforeCommit, registered in a transaction that then commits. */
	void saveWhileTheTransactionCommits(User user) {
		this.transactions.executeWithoutResult(
				status -> TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void beforeCommit(boolean readOnly) {
						TransactionIntegrationTests.this.users.save(user);
					}
				}));
	}

	int userRows() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM app_user", Integer.class);
	}

	List<String> userNames() {
		return this.jdbc.queryForList("SELECT name FROM app_user", String.class);
	}

	@Nested
	class FailingHooks {

		@Test
		void hookThrowingBeforeNextLeavesNothingWritten() {
			hook.set(next -> m -> {
				throw new IllegalStateException("no");
			});

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.save(new User("ann", null)))
				.withMessageContaining("CREATE of User failed in hook 'switchableHook': no");
			assertThat(userRows()).isZero();
		}

		@Test
		void hookThrowingAfterNextRollsTheWriteBack() {
			hook.set(next -> m -> {
				next.mutate(m);
				throw new IllegalStateException("changed my mind");
			});

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.save(new User("ann", null)));
			assertThat(userRows()).isZero();
		}

		@Test
		void hookThrowingAfterNextRollsBackSaveAllWhole() {
			hook.set(next -> m -> {
				Object saved = next.mutate(m);
				if ("bob".equals(((User) m.entity()).getName())) {
					throw new IllegalStateException("not bob");
				}
				return saved;
			});

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> users.saveAll(List.of(new User("ann", null), new User("bob", null))));
			assertThat(userRows()).isZero();
		}

		@Test
		void hookThrowingAfterDeleteByIdKeepsTheRow() {
			User ann = users.save(new User("ann", null));
			hook.set(next -> m -> {
				next.mutate(m);
				throw new IllegalStateException("keep it");
			});

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.deleteById(ann.getId()));
			assertThat(userRows()).isOne();
		}

		@Test
		void hookThrowingAfterDerivedDeleteKeepsTheRows() {
			users.save(new User("ann", null));
			hook.set(next -> m -> {
				next.mutate(m);
				throw new IllegalStateException("keep them");
			});

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.deleteByName("ann"));
			assertThat(userRows()).isOne();
		}

		@Test
		void hookFailureInsideCallersTransactionRollsBackTheWholeTransaction() {
			hook.set(next -> m -> {
				Object saved = next.mutate(m);
				if ("bob".equals(((User) m.entity()).getName())) {
					throw new IllegalStateException("not bob");
				}
				return saved;
			});

			assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
				users.save(new User("ann", null));
				try {
					users.save(new User("bob", null));
				}
				catch (MutationException swallowed) {
					// the caller carries on, but the transaction is marked rollback-only
				}
			})).isInstanceOf(UnexpectedRollbackException.class);
			assertThat(userRows()).isZero();
		}

		@Test
		void aConnectionBoundOutsideATransactionIsNotTakenForOne() {
			hook.set(next -> m -> {
				next.mutate(m);
				throw new IllegalStateException("changed my mind");
			});
			TransactionTemplate supports = new TransactionTemplate(transactions.getTransactionManager());
			supports.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_SUPPORTS);

			supports.executeWithoutResult(status -> {
				jdbc.queryForObject("SELECT COUNT(*) FROM app_user", Integer.class);
				assertThatExceptionOfType(MutationException.class)
					.isThrownBy(() -> template.insert(new User("ann", null)));
			});

			assertThat(userRows()).isZero();
		}

		@Test
		void rollbackPutsBackTheIdSpringDataSetOnAMutableEntity() {
			hook.set(next -> m -> {
				next.mutate(m);
				throw new IllegalStateException("roll back");
			});
			User ann = new User("ann", null);

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.save(ann));

			assertThat(ann.getId()).isNull();
			hook.reset();
			users.save(ann);
			assertThat(userRows()).isOne();
		}

		@Test
		void rollbackTakesBackAnIdAHookSetOnTheCallersEntity() {
			hook.set(next -> m -> {
				if (m.op() == Op.CREATE) {
					m.setField("id", 9_000_001L);
				}
				next.mutate(m);
				throw new IllegalStateException("roll back");
			});
			User ann = new User("ann", null);

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.save(ann));

			assertThat(ann.getId()).isNull();
			assertThat(userRows()).isZero();
		}

		@Test
		void rollbackTakesBackAnIdAHookSetThoughTheChainStoppedBeforeTheWrite() {
			hook.set(next -> m -> {
				m.setField("id", 9_000_002L);
				// As a later hook that refuses before next.
				throw new IllegalStateException("refused");
			});
			User ann = new User("ann", null);

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.save(ann));

			assertThat(ann.getId()).isNull();
			hook.reset();
			users.save(ann);
			assertThat(userRows()).as("a retry inserts").isOne();
		}

		@Test
		void aWriteThatFailsAfterSettingTheIdPutsItBack() {
			// Spring Data sets the id on the instance, then the after-save callback fails.
			Post post = new Post(TestApplication.FAILS_AFTER_SAVE, "first");

			assertThatThrownBy(() -> posts.save(post)).isNotInstanceOf(MutationException.class)
				.hasMessage("after-save callback failed");

			assertThat(post.getId()).isNull();
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM post", Integer.class)).isZero();
		}

	}

	@Nested
	class Atomicity {

		@Test
		void templateDeleteOfAggregateWithChildrenIsOneTransaction() {
			Post post = posts.save(new Post("pinned", "first", "second"));
			jdbc.update("INSERT INTO pin (post_id) VALUES (?)", post.getId());

			assertThatThrownBy(() -> template.delete(post)).isNotInstanceOf(MutationException.class);

			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM comment", Integer.class))
				.as("comments deleted by the first statement are restored").isEqualTo(2);
		}

		@Test
		void derivedDeleteOfAggregatesWithChildrenIsOneTransaction() {
			Post post = posts.save(new Post("pinned", "first", "second"));
			jdbc.update("INSERT INTO pin (post_id) VALUES (?)", post.getId());

			assertThatThrownBy(() -> posts.deleteByTitle("pinned")).isNotInstanceOf(MutationException.class);

			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM comment", Integer.class)).isEqualTo(2);
		}

	}

	@Nested
	class TransactionHooks {

		@Test
		void afterCommitRunsOnlyOnceCommitted() {
			hook.set(next -> m -> {
				m.transaction().afterCommit(() -> events.add("committed, rows=" + userRows()));
				m.transaction().afterRollback(() -> events.add("rolled back"));
				events.add("before write");
				return next.mutate(m);
			});

			users.save(new User("ann", null));

			assertThat(events).containsExactly("before write", "committed, rows=1");
		}

		@Test
		void afterCommitWaitsForTheCallersTransaction() {
			hook.set(next -> m -> {
				m.transaction().afterCommit(() -> events.add("committed"));
				return next.mutate(m);
			});

			transactions.executeWithoutResult(status -> {
				users.save(new User("ann", null));
				events.add("caller still inside");
			});

			assertThat(events).containsExactly("caller still inside", "committed");
		}

		@Test
		void afterRollbackRunsOnlyOnRollback() {
			hook.set(next -> m -> {
				m.transaction().afterCommit(() -> events.add("committed"));
				m.transaction().afterRollback(() -> events.add("rolled back"));
				return next.mutate(m);
			});

			assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
				users.save(new User("ann", null));
				throw new IllegalStateException("caller fails");
			})).hasMessage("caller fails");

			assertThat(events).containsExactly("rolled back");
			assertThat(userRows()).isZero();
		}

		@Test
		void beforeCommitCanVetoTheCommit() {
			hook.set(next -> m -> {
				m.transaction().beforeCommit(() -> {
					throw new IllegalStateException("veto");
				});
				m.transaction().afterRollback(() -> events.add("rolled back"));
				return next.mutate(m);
			});

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> users.save(new User("ann", null)))
				.withMessage("CREATE of User failed: a before-commit action refused the commit: veto")
				.withCauseInstanceOf(IllegalStateException.class)
				.satisfies(ex -> assertThat(ex.getEntityType()).isEqualTo(User.class));

			assertThat(userRows()).isZero();
			assertThat(events).containsExactly("rolled back");
		}

		@Test
		void aBeforeCommitActionOfAWriteMadeWhileTheTransactionCommitsRunsBeforeTheCommitAndCanVetoIt() {
			hook.set(next -> m -> {
				m.transaction().beforeCommit(() -> {
					events.add("before commit of " + ((User) m.entity()).getName());
					throw new IllegalStateException("veto");
				});
				return next.mutate(m);
			});

			// The write's own synchronization is registered after Spring took the ones whose beforeCommit it calls.
			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> saveWhileTheTransactionCommits(new User("late", null)))
				.withMessage("CREATE of User failed: a before-commit action refused the commit: veto");

			assertThat(events).containsExactly("before commit of late");
			assertThat(userRows()).isZero();
		}

		@Test
		void aBeforeCommitActionOfAWriteMadeByALateBeforeCommitActionRunsToo() {
			hook.set(next -> m -> {
				String name = ((User) m.entity()).getName();
				m.transaction().beforeCommit(() -> {
					events.add("before commit of " + name);
					if (name.equals("late")) {
						users.save(new User("later", null));
					}
					else {
						throw new IllegalStateException("veto");
					}
				});
				return next.mutate(m);
			});

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> saveWhileTheTransactionCommits(new User("late", null)))
				.withMessage("CREATE of User failed: a before-commit action refused the commit: veto");

			assertThat(events).containsExactly("before commit of late", "before commit of later");
			assertThat(userRows()).isZero();
		}

		@Test
		void failingAfterCommitActionDoesNotFailTheCommittedWrite() {
			hook.set(next -> m -> {
				m.transaction().afterCommit(() -> {
					throw new IllegalStateException("S3 is down");
				});
				return next.mutate(m);
			});

			users.save(new User("ann", null));

			assertThat(userRows()).isOne();
		}

		@Test
		@ExtendWith(OutputCaptureExtension.class)
		void aFailingAfterCommitActionIsLoggedWithTheEntityTheOperationAndTheId(CapturedOutput output) {
			hook.set(next -> m -> {
				m.transaction().afterCommit(() -> {
					throw new IllegalStateException("S3 is down");
				});
				return next.mutate(m);
			});

			User saved = users.save(new User("ann", null));

			assertThat(output).contains("An after-commit action of CREATE User id=" + saved.getId()
					+ " failed; the transaction stays committed")
				.contains("java.lang.IllegalStateException: S3 is down");
		}

		@Test
		void transactionHooksWorkForImmutableEntities() {
			hook.set(next -> m -> {
				m.transaction().afterCommit(() -> events.add(m.op() + " " + m.type().getSimpleName()));
				return next.mutate(m);
			});

			Account saved = accounts.save(Account.of("ann", "free"));
			accounts.delete(saved);

			assertThat(events).containsExactly("CREATE Account", "DELETE_ONE Account");
		}

	}

	/**
	 * Transaction hooks of a write rolled back to a savepoint (a {@code NESTED} transaction's, or one made by hand):
	 * the write is undone, so its before- and after-commit actions do not run, its after-rollback actions run when
	 * the transaction ends, and the id Spring Data set on its entity is taken back at once. Writes made before the
	 * savepoint keep theirs.
	 */
	@Nested
	class Savepoints {

		@Test
		void aWriteRolledBackToItsNestedTransactionsSavepointRunsNoCommitActionsAndItsRollbackActionsAtTheEnd() {
			recordTransactionHooks();

			transactions.executeWithoutResult(status -> {
				users.save(new User("outer", null));
				nested(nested -> {
					users.save(new User("inner", null));
					nested.setRollbackOnly();
				});
				events.add("outer goes on");
			});

			assertThat(events).containsExactly("outer goes on", "before commit outer", "committed outer",
					"rolled back inner");
			assertThat(userNames()).containsExactly("outer");
		}

		@Test
		void aNestedTransactionThatCommitsKeepsItsWritesActions() {
			recordTransactionHooks();

			transactions.executeWithoutResult(status -> {
				users.save(new User("outer", null));
				nested(nested -> users.save(new User("inner", null)));
			});

			assertThat(events).containsExactlyInAnyOrder("before commit outer", "before commit inner",
					"committed outer", "committed inner");
		}

		@Test
		void aBeforeCommitVetoOfAWriteRolledBackToASavepointNoLongerRefusesTheCommit() {
			hook.set(next -> m -> {
				if (m.op() == Op.CREATE && ((User) m.entity()).getName().equals("refused")) {
					m.transaction().beforeCommit(() -> {
						throw new IllegalStateException("veto");
					});
				}
				return next.mutate(m);
			});

			transactions.executeWithoutResult(status -> {
				users.save(new User("outer", null));
				nested(nested -> {
					users.save(new User("refused", null));
					nested.setRollbackOnly();
				});
			});

			assertThat(userNames()).containsExactly("outer");
		}

		@Test
		void theIdOfAnInsertRolledBackToItsSavepointIsTakenBackSoTheEntityCanBeSavedAgainInTheTransaction() {
			hook.set(next -> m -> {
				Object written = next.mutate(m);
				if (m.op() == Op.CREATE && ((User) m.entity()).getName().equals("ann") && events.isEmpty()) {
					events.add("refused once");
					throw new IllegalStateException("refused after the write");
				}
				return written;
			});
			User ann = new User("ann", null);

			transactions.executeWithoutResult(status -> {
				assertThatExceptionOfType(MutationException.class).isThrownBy(() -> nested(nested -> users.save(ann)));
				assertThat(ann.getId()).as("taken back with the savepoint's rollback").isNull();
				users.save(ann);
			});

			assertThat(ann.getId()).isNotNull();
			assertThat(jdbc.queryForList("SELECT id FROM app_user", Long.class)).containsExactly(ann.getId());
		}

		@Test
		void anEntityInsertedAndUpdatedAfterASavepointIsNewAgainOnceRolledBackToIt() {
			Ledger ledger = new Ledger("first");

			transactions.executeWithoutResult(status -> {
				Object savepoint = status.createSavepoint();
				template.save(ledger);
				ledger.setEntry("second");
				template.save(ledger);
				assertThat(ledger.getVersion()).isOne();
				status.rollbackToSavepoint(savepoint);

				assertThat(ledger.getId()).as("as the caller passed it").isNull();
				assertThat(ledger.getVersion()).isNull();
				template.save(ledger);
			});

			assertThat(ledger.getVersion()).isZero();
			assertThat(jdbc.queryForList("SELECT entry FROM ledger", String.class)).containsExactly("second");
		}

		@Test
		void theIdsOfASaveAllRolledBackToItsSavepointAreTakenBack() {
			List<User> saved = List.of(new User("ann", null), new User("bob", null));

			transactions.executeWithoutResult(status -> {
				nested(nested -> {
					users.saveAll(saved);
					nested.setRollbackOnly();
				});
				assertThat(saved).extracting(User::getId).containsOnlyNulls();
				users.saveAll(saved);
			});

			assertThat(userRows()).isEqualTo(2);
		}

		@Test
		void aTransactionOpenedOnceAnotherHasCompletedJudgesItsOwnSavepoints() {
			recordTransactionHooks();

			transactions.executeWithoutResult(status -> {
				// Registered before the first hooked write, so its afterCompletion comes first among equals.
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCompletion(int completed) {
						TransactionTemplate requiresNew = new TransactionTemplate(transactions.getTransactionManager());
						requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
						requiresNew.executeWithoutResult(inner -> nested(nested -> {
							users.save(new User("inner", null));
							nested.setRollbackOnly();
						}));
					}
				});
				users.save(new User("outer", null));
			});

			assertThat(events).containsExactly("before commit outer", "committed outer", "rolled back inner");
			assertThat(userNames()).containsExactly("outer");
		}

		@Test
		void aSavepointMadeByHandAndRolledBackToTwiceUndoesTheWritesAfterItOnly() {
			recordTransactionHooks();

			transactions.executeWithoutResult(status -> {
				users.save(new User("before", null));
				Object savepoint = status.createSavepoint();
				users.save(new User("first try", null));
				status.rollbackToSavepoint(savepoint);
				users.save(new User("second try", null));
				status.rollbackToSavepoint(savepoint);
				users.save(new User("third try", null));
			});

			assertThat(events).containsExactlyInAnyOrder("before commit before", "before commit third try",
					"rolled back first try", "rolled back second try", "committed before", "committed third try");
			assertThat(userNames())
				.containsExactlyInAnyOrder("before", "third try");
		}

		/** Records the transaction hooks of every create, named after the user. */
		private void recordTransactionHooks() {
			hook.set(next -> m -> {
				if (m.op() == Op.CREATE) {
					String name = ((User) m.entity()).getName();
					m.transaction().beforeCommit(() -> events.add("before commit " + name));
					m.transaction().afterCommit(() -> events.add("committed " + name));
					m.transaction().afterRollback(() -> events.add("rolled back " + name));
				}
				return next.mutate(m);
			});
		}

		private void nested(Consumer<TransactionStatus> work) {
			TransactionTemplate nested = new TransactionTemplate(transactions.getTransactionManager());
			nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
			nested.executeWithoutResult(work);
		}

	}

	@Test
	void writesRunInATransactionThatHooksSee() {
		hook.set(next -> m -> {
			events.add("active=" + org.springframework.transaction.support.TransactionSynchronizationManager
				.isActualTransactionActive());
			return next.mutate(m);
		});

		template.insert(new User("ann", null));
		users.deleteAll();

		assertThat(events).containsExactly("active=true", "active=true");
	}

}
