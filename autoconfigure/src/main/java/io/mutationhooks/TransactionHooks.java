package io.mutationhooks;

/**
 * Actions tied to the transaction a write runs in: Ent's {@code tx.OnCommit} and {@code tx.OnRollback}.
 * Without a transaction, before- and after-commit actions run right after the write succeeds and
 * after-rollback actions when it fails.
 */
public interface TransactionHooks {

	/**
	 * Runs {@code action} just before the transaction commits; an exception vetoes the commit and the transaction
	 * rolls back.
	 */
	void beforeCommit(Runnable action);

	/** Runs {@code action} once the transaction has committed, and never otherwise. */
	void afterCommit(Runnable action);

	/** Runs {@code action} once the transaction has rolled back, and never otherwise. */
	void afterRollback(Runnable action);

}
