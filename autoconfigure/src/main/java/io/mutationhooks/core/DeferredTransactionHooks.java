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

	/** Runs the before- and after-commit actions, in registration order. */
	public void succeeded() {
		this.beforeCommit.forEach(Runnable::run);
		this.afterCommit.forEach(Runnable::run);
	}

	/** Runs the after-rollback actions, in registration order. */
	public void failed() {
		this.afterRollback.forEach(Runnable::run);
	}

}
