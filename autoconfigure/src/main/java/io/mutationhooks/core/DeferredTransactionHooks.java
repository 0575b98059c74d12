package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.mutationhooks.TransactionHooks;

/**
 * Transaction hooks for a write that runs without a transaction: actions are kept and run when the write ends,
 * before- and after-commit actions on success, after-rollback actions on failure.
 */
public final class DeferredTransactionHooks implements TransactionHooks {

	private static final System.Logger logger = System.getLogger(DeferredTransactionHooks.class.getName());

	private final List<Runnable> beforeCommit = new ArrayList<>();

	private final List<Runnable> afterCommit = new ArrayList<>();

	private final List<Runnable> afterRollback = new ArrayList<>();

	@Override
	public void beforeCommit(Runnable action) {
		this.beforeCommit.add(Objects.requireNonNull(action, "action must not be null"));
	}

	@Override
	public void afterCommit(Runnable action) {
		this.afterCommit.add(Objects.requireNonNull(action, "action must not be null"));
	}

	@Override
	public void afterRollback(Runnable action) {
		this.afterRollback.add(Objects.requireNonNull(action, "action must not be null"));
	}

	/**
	 * Runs the before-commit actions, then the after-commit actions, in registration order. A failing before-commit
	 * action fails the write; a failing after-commit action is logged and the others still run, since the write has
	 * happened.
	 */
	public void succeeded() {
		this.beforeCommit.forEach(Runnable::run);
		for (Runnable action : this.afterCommit) {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.ERROR, "An after-commit action failed; the write stays done", ex);
			}
		}
	}

	/** Runs the after-rollback actions, in registration order. */
	public void failed() {
		this.afterRollback.forEach(Runnable::run);
	}

}
