package io.mutationhooks.transaction;

import java.util.ArrayList;
import java.util.List;
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
		WriteScope scope = new WriteScope();
		TransactionSynchronizationManager.registerSynchronization(new RequiredBeforeCommit() {
			@Override
			protected void runBeforeCommit() {
				if (!scope.undone()) {
					action.run();
				}
			}

			@Override
			public void savepoint(Object savepoint) {
				scope.savepoint(savepoint);
			}

			@Override
			public void savepointRollback(Object savepoint) {
				scope.undoneBy(savepoint);
			}
		});
	}

	/** Runs {@code action} once the transaction has committed, unless the write was rolled back to a savepoint. */
	@Override
	public void afterCommit(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		TransactionSynchronizationManager.registerSynchronization(new ScopedSynchronization() {
			@Override
			public void afterCommit() {
				if (!undone()) {
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
		TransactionSynchronizationManager.registerSynchronization(new ScopedSynchronization() {
			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_ROLLED_BACK || undone()) {
					action.run();
				}
			}
		});
	}

	/**
	 * Runs {@code action} as soon as the write is undone: at once when the transaction rolls back to a savepoint made
	 * before the write (before the database's own rollback to it), else after the transaction rolls back. For work
	 * on the write's own objects, such as taking back the id Spring Data set on an entity whose insert is undone, so
	 * that the caller can save it again in the same transaction.
	 * @param transaction the write's transaction hooks: without a Spring transaction, its {@code afterRollback}
	 * @param action what to do, touching no database
	 */
	public static void whenUndone(TransactionHooks transaction, Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		if (transaction != INSTANCE) {
			transaction.afterRollback(action);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new ScopedSynchronization() {
			@Override
			public void savepointRollback(Object savepoint) {
				if (!undone()) {
					super.savepointRollback(savepoint);
					if (undone()) {
						action.run();
					}
				}
			}

			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_ROLLED_BACK && !undone()) {
					action.run();
				}
			}
		});
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

	/** A synchronization of one write's action, which knows whether the write was rolled back to a savepoint. */
	private abstract static class ScopedSynchronization implements TransactionSynchronization {

		private final WriteScope scope = new WriteScope();

		@Override
		public void savepoint(Object savepoint) {
			this.scope.savepoint(savepoint);
		}

		@Override
		public void savepointRollback(Object savepoint) {
			this.scope.undoneBy(savepoint);
		}

		final boolean undone() {
			return this.scope.undone();
		}

	}

	/**
	 * Whether a write is still in its transaction. Its actions are registered as it runs: a rollback to a savepoint
	 * made before that (a {@code NESTED} transaction's, or one made by hand through {@code TransactionStatus}) undoes
	 * it. Spring tells each synchronization of the savepoints made while it is registered, so the savepoints this one
	 * has not been told of are older than the write.
	 */
	private static final class WriteScope {

		/** The savepoints made since the write, oldest first; one rolled back to stays, as a savepoint by hand does. */
		private List<Object> savepointsSince;

		private boolean undone;

		void savepoint(Object savepoint) {
			if (!this.undone) {
				if (this.savepointsSince == null) {
					this.savepointsSince = new ArrayList<>(2);
				}
				this.savepointsSince.add(savepoint);
			}
		}

		/** Notes a rollback to {@code savepoint}, which undoes the write if it is older than the write. */
		void undoneBy(Object savepoint) {
			if (this.undone) {
				return;
			}
			int index = this.savepointsSince != null ? this.savepointsSince.lastIndexOf(savepoint) : -1;
			if (index >= 0) {
				this.savepointsSince.subList(index + 1, this.savepointsSince.size()).clear();
			}
			else {
				this.undone = true;
				this.savepointsSince = null;
			}
		}

		boolean undone() {
			return this.undone;
		}

	}

}
