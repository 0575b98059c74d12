package io.mutationhooks;

/**
 * Actions tied to the transaction a write runs in: Ent's {@code tx.OnCommit} and {@code tx.OnRollback}.
 * Without a transaction, before- and after-commit actions run right after the write succeeds and
 * after-rollback actions when it fails. A write rolled back to a savepoint made before it (a {@code NESTED}
 * transaction's) is undone though its transaction goes on: its before- and after-commit actions do not run, and its
 * after-rollback actions run when the transaction ends, however it ends.
 */
public interface TransactionHooks {

	/**
	 * Runs {@code action} just before the transaction commits; an exception vetoes the commit and the transaction
	 * rolls back.
	 */
	void beforeCommit(Runnable action);

	/** Runs {@code action} once the transaction has committed with the write, and never otherwise. */
	void afterCommit(Runnable action);

	/** Runs {@code action} once the transaction has ended without the write, and never otherwise. */
	void afterRollback(Runnable action);

}
