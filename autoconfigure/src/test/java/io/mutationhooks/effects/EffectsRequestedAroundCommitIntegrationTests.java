package io.mutationhooks.effects;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.jdbc.LockWaits;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Pause;
import io.mutationhooks.testapp.TestEffects;
import io.mutationhooks.testapp.TestEffects.Note;
import io.mutationhooks.transaction.RequiredBeforeCommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Effects requested at the edges of a transaction: from other synchronizations' callbacks, which run while it
 * commits, from a read-only transaction, and by two transactions with one deduplication key at once.
 */
class EffectsRequestedAroundCommitIntegrationTests extends EffectsIntegrationTestSupport {

	private static final boolean H2 = "h2".equals(System.getProperty("mutation-hooks.test.database", "h2"));

	@Test
	void anEffectFirstRequestedFromAnotherSynchronizationsBeforeCommitRuns() {
		requestFrom(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				effects.request(TestEffects.NOTES, new Note("from beforeCommit"));
			}
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("from beforeCommit"));
	}

	@Test
	void anEffectFirstRequestedFromAnotherSynchronizationsBeforeCommitIsStoredBeforeTheCommit() {
		this.scheduler.pause();
		List<Long> storedOnceCommitted = new CopyOnWriteArrayList<>();
		requestFrom(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				// The effects' own synchronization is registered now, after Spring took the ones whose beforeCommit
				// it calls.
				effects.request(TestEffects.NOTES, new Note("stored with the transaction"));
			}

			@Override
			public void afterCommit() {
				storedOnceCommitted.add(storedEffects());
			}
		});

		assertThat(storedOnceCommitted).as("stored by the commit, so that no crash after it can lose it")
			.containsExactly(1L);
		this.scheduler.resume();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("stored with the transaction"));
	}

	@Test
	void anEffectRequestedByBeforeCommitWorkRunLateIsStoredBeforeTheCommit() {
		this.scheduler.pause();
		List<Long> storedOnceCommitted = new CopyOnWriteArrayList<>();
		new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> {
			// The effects' synchronization exists, and has had its beforeCommit and beforeCompletion, when the late
			// work requests the second.
			this.effects.request(TestEffects.NOTES, new Note("from the transaction"));
			whileCommitting(late(() -> this.effects.request(TestEffects.NOTES, new Note("from late work"))));
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					storedOnceCommitted.add(storedEffects());
				}
			});
		});

		assertThat(storedOnceCommitted).as("both stored by the commit").containsExactly(2L);
	}

	@Test
	void anEffectRequestedByBeforeCommitWorkRunLateInATransactionThatThenRollsBackIsNotStored() {
		this.scheduler.pause();
		List<Long> storedBeforeTheRollback = new CopyOnWriteArrayList<>();
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);

		assertThatIllegalStateException().isThrownBy(() -> transaction.executeWithoutResult(status -> {
			this.effects.request(TestEffects.NOTES, new Note("from the transaction"));
			whileCommitting(late(() -> this.effects.request(TestEffects.NOTES, new Note("from late work"))));
			whileCommitting(late(() -> {
				storedBeforeTheRollback.add(storedEffects());
				throw new IllegalStateException("the commit is refused");
			}));
		})).withMessage("the commit is refused");

		assertThat(storedBeforeTheRollback).as("both stored in the transaction").containsExactly(2L);
		assertThat(storedEffects()).as("and rolled back with it").isZero();
	}

	@Test
	void anEffectRequestedFromAfterCommitRuns() {
		requestFrom(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				effects.request(TestEffects.NOTES, new Note("from afterCommit"));
			}
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("from afterCommit"));
	}

	@Test
	void anEffectRequestedFromAfterCompletionRuns() {
		requestFrom(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				effects.request(TestEffects.NOTES, new Note("from afterCompletion"));
			}
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("from afterCompletion"));
	}

	@Test
	void anEffectRequestedFromBeforeCommitOfATransactionThatRollsBackIsNotStored() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		transaction.executeWithoutResult(status -> {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCompletion() {
					effects.request(TestEffects.NOTES, new Note("rolled back"));
				}
			});
			status.setRollbackOnly();
		});

		assertThat(storedEffects()).isZero();
	}

	@Test
	void aReadOnlyTransactionCannotRequestAnEffect() {
		TransactionTemplate readOnly = new TransactionTemplate(this.transactionManager);
		readOnly.setReadOnly(true);

		assertThatIllegalStateException()
			.isThrownBy(() -> readOnly
				.executeWithoutResult(status -> this.effects.request(TestEffects.NOTES, new Note("read-only"))))
			.withMessageContaining("read-only transaction");
		assertThat(storedEffects()).isZero();
	}

	@Test
	void twoTransactionsRequestingOneDeduplicationKeyAtOnceBothCommitAndRecordOneEffect() throws Exception {
		this.scheduler.pause();
		CountDownLatch firstStored = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		// The row the first stored is locked until it commits.
		CompletableFuture<Void> first = inTransactionHeldBeforeCommit(() -> requestFirst(), firstStored, releaseFirst);
		Pause.until(firstStored);

		CompletableFuture<Void> second = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
			if (H2) {
				// H2 gives up a lock wait after 1 s by default; the wait here ends when the first commits.
				this.jdbc.execute("SET LOCK_TIMEOUT 20000");
			}
			this.jdbc.update("INSERT INTO member (name, avatar_url) VALUES ('second writer', NULL)");
			this.effects.request(TestEffects.NOTES, new Note("second"), "customer-7");
		}));
		awaitBlockedOrDone(second, "insert into scheduled_tasks%");
		releaseFirst.countDown();

		first.get(20, TimeUnit.SECONDS);
		second.get(20, TimeUnit.SECONDS);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM member WHERE name = 'second writer'", Long.class))
			.as("the second writer's transaction committed").isOne();
		assertThat(storedEffects()).isOne();
		this.jdbc.update("DELETE FROM member WHERE name = 'second writer'");
	}

	@Test
	void twoTransactionsMergingIntoOneWaitingEffectAtOnceBothCommitAndLeaveOneEffect() throws Exception {
		this.scheduler.pause();
		this.effects.request(TestEffects.NOTES, new Note("waiting"), "customer-7");
		CountDownLatch firstHolds = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		CompletableFuture<Void> first = inTransactionHeldBeforeCommit(() -> requestFirst(), firstHolds, releaseFirst);
		try {
			Pause.until(firstHolds);

			CompletableFuture<Void> second = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
				if (H2) {
					// H2 locks the row for the first alone; the wait here ends when the first commits.
					this.jdbc.execute("SET LOCK_TIMEOUT 20000");
				}
				this.effects.request(TestEffects.NOTES, new Note("second"), "customer-7");
			}));
			if (H2) {
				awaitBlockedOrDone(second, "select task_instance from scheduled_tasks%");
			}
			else {
				// PostgreSQL and MariaDB hold it with a shared lock: the second does not wait for the first.
				second.get(10, TimeUnit.SECONDS);
			}
			releaseFirst.countDown();
			first.get(20, TimeUnit.SECONDS);
			second.get(20, TimeUnit.SECONDS);
		}
		finally {
			releaseFirst.countDown();
		}
		assertThat(storedEffects()).isOne();
		this.scheduler.resume();
		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactly("waiting");
	}

	private void requestFirst() {
		this.effects.request(TestEffects.NOTES, new Note("first"), "customer-7");
	}

	/** Waits until the second writer waits for the first one's row, or is done. */
	private void awaitBlockedOrDone(CompletableFuture<Void> second, String statement) {
		if (!H2) {
			LockWaits.awaitDoneOrWaitingForLock(this.jdbc, second);
			return;
		}
		// H2 names no blocker for a wait on a unique key, but shows the statement a session waits in.
		await().atMost(Duration.ofSeconds(15))
			.until(() -> second.isDone() || CompletableFuture.supplyAsync(() -> this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE LOWER(EXECUTING_STATEMENT) LIKE ?",
					Long.class, statement)).join() > 0);
	}

	/** Registers {@code synchronization} from a synchronization's beforeCommit: while the transaction commits. */
	private static void whileCommitting(TransactionSynchronization synchronization) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				TransactionSynchronizationManager.registerSynchronization(synchronization);
			}
		});
	}

	/** Before-commit work as a hook's before-commit action is: run even when registered too late for Spring. */
	private static RequiredBeforeCommit late(Runnable work) {
		return new RequiredBeforeCommit() {
			@Override
			protected void runBeforeCommit() {
				work.run();
			}
		};
	}

	private void requestFrom(TransactionSynchronization synchronization) {
		new TransactionTemplate(this.transactionManager).executeWithoutResult(
				status -> TransactionSynchronizationManager.registerSynchronization(synchronization));
	}

}
