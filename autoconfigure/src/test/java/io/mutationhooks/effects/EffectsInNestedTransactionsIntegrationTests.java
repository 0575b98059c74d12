package io.mutationhooks.effects;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.TestEffects;
import io.mutationhooks.testapp.TestEffects.Note;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Effects requested in {@code NESTED} transactions and around savepoints made by hand: a rollback to the savepoint
 * takes back the requests made since, and only those; a nested transaction that commits keeps its requests for the
 * outer commit.
 */
class EffectsInNestedTransactionsIntegrationTests extends EffectsIntegrationTestSupport {

	@Autowired
	EffectBacklog backlog;

	@Test
	void aNestedTransactionRolledBackToItsSavepointTakesBackItsRequestsAndTheOuterOnesRun() {
		inTransaction(() -> {
			request("outer");
			nested(status -> {
				request("inner");
				status.setRollbackOnly();
			});
		});

		assertThat(settledNotes()).containsExactly("outer");
	}

	@Test
	void aNestedTransactionThatCommitsKeepsItsRequests() {
		inTransaction(() -> {
			request("outer");
			nested(status -> request("inner"));
		});

		assertThat(settledNotes()).containsExactlyInAnyOrder("outer", "inner");
	}

	@Test
	void aRollbackToASavepointMadeBeforeTheFirstRequestTakesBackEveryRequest() {
		inTransaction(() -> {
			nested(status -> {
				request("inner");
				status.setRollbackOnly();
			});
			request("after");
		});

		assertThat(settledNotes()).containsExactly("after");
	}

	@Test
	void aRollbackOfTheOuterOfTwoNestedTransactionsTakesBackTheRequestsOfBoth() {
		inTransaction(() -> {
			request("outer");
			nested(first -> {
				request("first");
				nested(second -> request("second"));
				first.setRollbackOnly();
			});
			nested(third -> request("third"));
		});

		assertThat(settledNotes()).containsExactlyInAnyOrder("outer", "third");
	}

	@Test
	void aRollbackOfTheInnerOfTwoNestedTransactionsKeepsTheRequestsOfTheOuter() {
		inTransaction(() -> {
			request("outer");
			nested(first -> {
				request("first");
				nested(second -> {
					request("second");
					second.setRollbackOnly();
				});
				request("first again");
			});
		});

		assertThat(settledNotes()).containsExactlyInAnyOrder("outer", "first", "first again");
	}

	@Test
	void aDeduplicatedRequestOfARolledBackNestedTransactionIsNotStored() {
		// Paused, so that a stored effect cannot run and be gone before it is counted.
		this.scheduler.pause();
		inTransaction(() -> nested(status -> {
			this.effects.request(TestEffects.NOTES, new Note("keyed"), "key-1");
			status.setRollbackOnly();
		}));

		assertThat(storedEffects()).isZero();
	}

	@Test
	void requestsMadeBeforeASavepointAreKeptWhenSoManyAreMadeAfterItThatTheyWouldBeWrittenAhead() {
		// 500 + 600 requests pass the 1000 a transaction writes ahead of its commit: had it written them inside the
		// nested transaction, the rollback to the savepoint would have taken back the outer 500 with the rest.
		this.scheduler.pause();
		inTransaction(() -> {
			IntStream.range(0, 500).forEach(i -> request("outer " + i));
			nested(status -> {
				IntStream.range(0, 600).forEach(i -> request("inner " + i));
				status.setRollbackOnly();
			});
		});

		List<String> stored = this.backlog.list(EffectStatus.PENDING, 1000)
			.stream()
			.flatMap(effect -> effect.payloads().stream())
			.toList();
		assertThat(stored).hasSize(500).allMatch(payload -> payload.contains("outer"));
	}

	@Test
	void requestsMadeAfterASavepointAreStillWrittenAheadWhenMany() {
		this.scheduler.pause();
		long[] storedBeforeCommit = new long[1];
		inTransaction(() -> {
			request("outer");
			nested(status -> IntStream.range(0, 1200).forEach(i -> request("inner " + i)));
			storedBeforeCommit[0] = storedEffects();
		});

		assertThat(storedBeforeCommit[0]).as("the full batches of the nested transaction's 1200, written ahead")
			.isEqualTo(333);
		assertThat(this.backlog.list(EffectStatus.PENDING, 1000).stream().mapToInt(e -> e.payloads().size()).sum())
			.isEqualTo(1201);
	}

	@Test
	void requestsWrittenAheadInsideANestedTransactionRolledBackAreTakenBackWithTheirRows() {
		inTransaction(() -> {
			request("outer");
			nested(status -> {
				IntStream.range(0, 1200).forEach(i -> request("inner " + i));
				status.setRollbackOnly();
			});
		});

		assertThat(settledNotes()).containsExactly("outer");
	}

	@Test
	void aSavepointMadeByHandAndRolledBackToTwiceKeepsTheRequestsMadeBeforeIt() {
		new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> {
			request("before");
			Object savepoint = status.createSavepoint();
			request("first try");
			status.rollbackToSavepoint(savepoint);
			request("second try");
			status.rollbackToSavepoint(savepoint);
			request("third try");
			status.releaseSavepoint(savepoint);
		});

		assertThat(settledNotes()).containsExactlyInAnyOrder("before", "third try");
	}

	@Test
	void requestsMadeBeforeASavepointMadeByHandAreNotWrittenAheadAfterItAndSurviveTwoRollbacksToIt() {
		this.scheduler.pause();
		new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> {
			IntStream.range(0, 500).forEach(i -> request("before " + i));
			Object savepoint = status.createSavepoint();
			IntStream.range(0, 100).forEach(i -> request("first try " + i));
			status.rollbackToSavepoint(savepoint);
			IntStream.range(0, 600).forEach(i -> request("second try " + i));
			status.rollbackToSavepoint(savepoint);
		});

		List<String> stored = this.backlog.list(EffectStatus.PENDING, 1000)
			.stream()
			.flatMap(effect -> effect.payloads().stream())
			.toList();
		assertThat(stored).hasSize(500).allMatch(payload -> payload.contains("before"));
	}

	private void request(String note) {
		this.effects.request(TestEffects.NOTES, new Note(note));
	}

	private void nested(Consumer<TransactionStatus> work) {
		TransactionTemplate nested = new TransactionTemplate(this.transactionManager);
		nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		nested.executeWithoutResult(work);
	}

	/** The notes handled once every stored effect has run. */
	private List<String> settledNotes() {
		EffectRows.awaitSettled(this.jdbc);
		return this.probe.notes();
	}

}
