package io.mutationhooks.transaction;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The timeline of a transaction's savepoints: what a rollback to one undoes, undo actions newest first, and no
 * timeline left bound to a thread outside a transaction's synchronization.
 */
class SavepointTimelineUnitTests {

	private final List<String> undone = new ArrayList<>();

	@AfterEach
	void endSynchronization() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.getSynchronizations()
				.forEach(synchronization -> synchronization.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void aTimelineAskedForOutsideATransactionsSynchronizationIsNotLeftBoundForTheNextTransaction() {
		assertThatIllegalStateException().isThrownBy(SavepointTimeline::current);

		TransactionSynchronizationManager.initSynchronization();
		SavepointTimeline timeline = SavepointTimeline.current();

		assertThat(TransactionSynchronizationManager.getSynchronizations()).containsExactly(timeline);
	}

	@Test
	void aRollbackUndoesWhatWasRegisteredSinceItsSavepointAndRunsTheUndoActionsNewestFirst() {
		TransactionSynchronizationManager.initSynchronization();
		SavepointTimeline timeline = SavepointTimeline.current();
		long before = timeline.now();
		timeline.whenUndone(() -> this.undone.add("before"));
		Object savepoint = new Object();
		timeline.savepoint(savepoint);
		long after = timeline.now();
		timeline.whenUndone(() -> this.undone.add("insert"));
		timeline.whenUndone(() -> this.undone.add("update"));

		timeline.savepointRollback(savepoint);

		assertThat(this.undone).containsExactly("update", "insert");
		assertThat(timeline.undone(before)).isFalse();
		assertThat(timeline.undone(after)).isTrue();
		long again = timeline.now();
		timeline.whenUndone(() -> this.undone.add("again"));
		timeline.savepointRollback(savepoint);
		assertThat(timeline.undone(again)).as("rolled back to the same savepoint again").isTrue();
		assertThat(timeline.undone(before)).isFalse();
		assertThat(this.undone).containsExactly("update", "insert", "again");
	}

	@Test
	void aRollbackToASavepointMadeBeforeTheTimelineUndoesEverythingRegisteredUntilThen() {
		TransactionSynchronizationManager.initSynchronization();
		SavepointTimeline timeline = SavepointTimeline.current();
		long first = timeline.now();
		timeline.savepoint(new Object());
		long second = timeline.now();

		timeline.savepointRollback(new Object());

		assertThat(timeline.undone(first)).isTrue();
		assertThat(timeline.undone(second)).isTrue();
		assertThat(timeline.undone(timeline.now())).as("registered after the rollback").isFalse();
	}

}
