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
	 * synchronizations run their own {@code beforeCommit}, by {@link MissedBeforeCommits}.
	 */
	@Override
	public void beforeCommit(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		TransactionSynchronizationManager.registerSynchronization(new RequiredBeforeCommit() {
			@Override
			protected void runBeforeCommit() {
				action.run();
			}
		});
	}

	@Override
	public void afterCommit(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				runCommitted(action);
			}
		});
	}

	@Override
	public void afterRollback(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_ROLLED_BACK) {
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

}
