package io.mutationhooks.transaction;

import org.springframework.transaction.support.TransactionSynchronization;

/**
 * A transaction synchronization whose before-commit work runs once before its transaction commits, even where
 * Spring does not call its {@code beforeCommit}. Spring calls the {@code beforeCommit} of the synchronizations
 * registered when the commit began: one registered from inside another's {@code beforeCommit} (a write in a
 * {@code @TransactionalEventListener(phase = BEFORE_COMMIT)}, or in a hook's before-commit action) misses it.
 * {@link MissedBeforeCommits} runs its work then, right before the commit, where a failure still rolls the
 * transaction back.
 */
public abstract class RequiredBeforeCommit implements TransactionSynchronization {

	/** How deep this thread is in before-commit work that Spring missed, run right before the commit. */
	private static final ThreadLocal<int[]> runningLate = ThreadLocal.withInitial(() -> new int[1]);

	private boolean ran;

	@Override
	public final void beforeCommit(boolean readOnly) {
		this.ran = true;
		runBeforeCommit();
	}

	/** The work to do before the transaction commits; throwing refuses the commit. */
	protected abstract void runBeforeCommit();

	/** Whether the before-commit work ran: what this synchronization learns from now on, it must act on at once. */
	protected final boolean ranBeforeCommit() {
		return this.ran;
	}

	/**
	 * Whether this thread runs before-commit work that Spring missed: the synchronizations have had their
	 * {@code beforeCompletion}, yet the transaction has not committed and still takes writes.
	 */
	public static boolean isRunningLate() {
		return runningLate.get()[0] > 0;
	}

	/** Runs the before-commit work unless it ran; {@literal true} if it ran now. */
	final boolean runBeforeCommitUnlessDone() {
		if (this.ran) {
			return false;
		}
		int[] depth = runningLate.get();
		depth[0]++;
		try {
			beforeCommit(false);
		}
		finally {
			depth[0]--;
		}
		return true;
	}

}
