package io.mutationhooks.core;

import java.util.Objects;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.TransactionHooks;

/**
 * The transaction hooks a mutation hands to its hooks: a before-commit action that refuses the commit surfaces as a
 * {@link MutationException} naming the entity and the operation, with the action's exception as its cause, like
 * every other refusal of a write.
 */
final class NamedTransactionHooks implements TransactionHooks {

	private final TransactionHooks transaction;

	private final Class<?> type;

	private final Op op;

	NamedTransactionHooks(TransactionHooks transaction, Class<?> type, Op op) {
		this.transaction = transaction;
		this.type = type;
		this.op = op;
	}

	@Override
	public void beforeCommit(Runnable action) {
		Objects.requireNonNull(action, "action must not be null");
		this.transaction.beforeCommit(() -> {
			try {
				action.run();
			}
			catch (MutationException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new MutationException(this.type, this.op,
						"a before-commit action refused the commit: " + MutationExecutor.reason(ex), ex);
			}
		});
	}

	@Override
	public void afterCommit(Runnable action) {
		this.transaction.afterCommit(action);
	}

	@Override
	public void afterRollback(Runnable action) {
		this.transaction.afterRollback(action);
	}

}
