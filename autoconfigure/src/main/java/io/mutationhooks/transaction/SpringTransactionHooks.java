package io.mutationhooks.transaction;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.DeferredTransactionHooks;

/**
 * {@link TransactionHooks} on Spring's transaction synchronization: actions are registered with the transaction
 * the write joined or opened.
 */
public final class SpringTransactionHooks implements TransactionHooks {

	private static final Logger logger = LoggerFactory.getLogger(SpringTransactionHooks.class);

	private static final SpringTransactionHooks INSTANCE = new SpringTransactionHooks();

	private SpringTransactionHooks() {
	}

	/**
	 * The transaction hooks for a write on this thread: the current Spring transaction's, or, with none active,
	 * {@link DeferredTransactionHooks} that the caller runs when the write ends.
	 */
	public static TransactionHooks current() {
		return TransactionSynchronizationManager.isSynchronizationActive() ? INSTANCE
				: new DeferredTransactionHooks();
	}

	/**
	 * Runs {@code action} before the transaction commits, once: also when registered while the transaction's
	 * synchronizations run their own {@code beforeCommit}, by {@link MissedBeforeCommits}. Not if the write that
	 * registered it was rolled back to a savepoint.
	 */
	@Override
	public void beforeCommit(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		SavepointTimeline timeline = SavepointTimeline.current();
		long registered = timeline.now();
		TransactionSynchronizationManager.registerSynchronization(new RequiredBeforeCommit() {
			@Override
			protected void runBeforeCommit() {
				if (!timeline.undone(registered)) {
					action.run();
				}
			}
		});
	}

	/** Runs {@code action} once the transaction has committed, unless the write was rolled back to a savepoint. */
	@Override
	public void afterCommit(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		SavepointTimeline timeline = SavepointTimeline.current();
		long registered = timeline.now();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				if (!timeline.undone(registered)) {
					runCommitted(action);
				}
			}
		});
	}

	/**
	 * Runs {@code action} once the transaction has rolled back, or, if the write was rolled back to a savepoint, once
	 * the transaction ends, however it ends: after the transaction, as an after-rollback action always runs.
	 */
	@Override
	public void afterRollback(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		SavepointTimeline timeline = SavepointTimeline.current();
		long registered = timeline.now();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_ROLLED_BACK || timeline.undone(registered)) {
					action.run();
				}
			}
		});
	}

	/**
	 * Runs {@code action} as soon as the write is undone: at once when the transaction rolls back to a savepoint made
	 * before the write (before the database's own rollback to it), else after the transaction rolls back; the
	 * actions of several writes newest first. For work on the write's own objects, such as taking back the id Spring
	 * Data set on an entity whose insert is undone, so that the caller can save it again in the same transaction.
	 * @param transaction the write's transaction hooks, as {@link #current()} gave them (not wrapped): without a
	 * Spring transaction, its {@code afterRollback}
	 * @param action what to do, touching no database
	 */
	public static void whenUndone(TransactionHooks transaction, Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		if (transaction == INSTANCE) {
			SavepointTimeline.current().whenUndone(action);
		}
		else {
			transaction.afterRollback(action);
		}
	}

	// The data is committed: a failing action must not make the caller believe the write failed.
	private static void runCommitted(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.error("An after-commit action failed; the transaction stays committed", ex);
		}
	}

}
