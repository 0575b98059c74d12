package io.mutationhooks.core;

import java.util.Objects;

import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.TransactionHooks;

/**
 * The transaction hooks a mutation hands to its hooks: a before-commit action that refuses the commit surfaces as a
 * {@link MutationException} naming the entity and the operation, with the action's exception as its cause, like
 * every other refusal of a write; an after-commit action that fails is logged with the entity, the operation and
 * the id, since the write stays committed.
 */
final class NamedTransactionHooks implements TransactionHooks {

	private static final System.Logger logger = System.getLogger(NamedTransactionHooks.class.getName());

	private final TransactionHooks transaction;

	private final Mutation<?> mutation;

	private final Class<?> type;

	private final Op op;

	NamedTransactionHooks(TransactionHooks transaction, Mutation<?> mutation) {
		this.transaction = transaction;
		this.mutation = mutation;
		this.type = mutation.type();
		this.op = mutation.op();
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
		Objects.requireNonNull(action, "action must not be null");
		this.transaction.afterCommit(() -> {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.ERROR, () -> "An after-commit action of " + this.op + " "
						+ this.type.getSimpleName() + " " + MutationTarget.of(this.mutation)
						+ " failed; the transaction stays committed", ex);
			}
		});
	}

	@Override
	public void afterRollback(Runnable action) {
		this.transaction.afterRollback(action);
	}

}
