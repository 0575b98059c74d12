package io.mutationhooks.transaction;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The savepoints of one transaction and the rollbacks to them, on one clock with the registration of the writes'
 * actions, so that an action can tell whether its write was undone: a rollback to a savepoint (a {@code NESTED}
 * transaction's, or one made by hand through {@code TransactionStatus}) undoes what was registered between the
 * savepoint and the rollback. One per transaction, bound to it (held apart while a {@code REQUIRES_NEW} one runs)
 * and registered by its first action, so a savepoint it was not told of is older than every action.
 * <p>
 * It also runs the undo actions ({@link SpringTransactionHooks#whenUndone}) of the writes a rollback undoes, at once,
 * and of every write when the transaction rolls back: newest first, so that when one object was written twice, what
 * it was before the first write is what stays.
 */
final class SavepointTimeline implements TransactionSynchronization {

	private static final Object RESOURCE = new Object();

	private long clock;

	/**
	 * When each savepoint was made, once one is; one rolled back to stays, since one made by hand may be rolled back
	 * to again.
	 */
	private Map<Object, Long> savepoints;

	/**
	 * The spans of the clock that rollbacks undid, each from its savepoint to the rollback (both exclusive), in
	 * order and apart: a rollback to an older savepoint takes in the spans after it.
	 */
	private final List<long[]> undoneSpans = new ArrayList<>(0);

	/** The undo actions not run yet, oldest first, each with when it was registered. */
	private final List<Undo> undos = new ArrayList<>(1);

	private SavepointTimeline() {
	}

	/**
	 * The timeline of the current transaction, registered with it on first use.
	 * @throws IllegalStateException if the thread has no active transaction synchronization: nothing is bound then
	 */
	static SavepointTimeline current() {
		SavepointTimeline timeline = (SavepointTimeline) TransactionSynchronizationManager.getResource(RESOURCE);
		if (timeline == null) {
			timeline = new SavepointTimeline();
			// Registered first, which fails outside a transaction's synchronization: bound, it would outlive it.
			TransactionSynchronizationManager.registerSynchronization(timeline);
			TransactionSynchronizationManager.bindResource(RESOURCE, timeline);
		}
		return timeline;
	}

	/**
	 * First, so that it is unbound before any other synchronization's {@code afterCompletion} runs: a transaction
	 * that one opens gets a timeline of its own.
	 */
	@Override
	public int getOrder() {
		return HIGHEST_PRECEDENCE;
	}

	/** The time of now, for an action registered now. */
	long now() {
		return ++this.clock;
	}

	/** Whether a rollback to a savepoint undid what was registered at {@code registered}. */
	boolean undone(long registered) {
		for (int i = this.undoneSpans.size() - 1; i >= 0; i--) {
			long[] span = this.undoneSpans.get(i);
			if (registered > span[0]) {
				return registered < span[1];
			}
		}
		return false;
	}

	/** Runs {@code action} when what is registered now is undone: by a rollback to a savepoint, or of the whole. */
	void whenUndone(Runnable action) {
		this.undos.add(new Undo(now(), action));
	}

	@Override
	public void savepoint(Object savepoint) {
		if (this.savepoints == null) {
			this.savepoints = new IdentityHashMap<>(4);
		}
		this.savepoints.put(savepoint, now());
	}

	@Override
	public void savepointRollback(Object savepoint) {
		Long made = this.savepoints != null ? this.savepoints.get(savepoint) : null;
		long from = made != null ? made : 0;
		long to = now();
		this.undoneSpans.removeIf(span -> span[0] >= from);
		this.undoneSpans.add(new long[] { from, to });
		if (this.savepoints != null) {
			this.savepoints.values().removeIf(time -> time > from);
		}
		runUndos(from);
	}

	@Override
	public void suspend() {
		TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
	}

	@Override
	public void resume() {
		TransactionSynchronizationManager.bindResource(RESOURCE, this);
	}

	@Override
	public void afterCompletion(int status) {
		TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
		if (status == STATUS_ROLLED_BACK) {
			runUndos(0);
		}
	}

	/** Runs, newest first, the undo actions registered after {@code after}. */
	private void runUndos(long after) {
		for (int i = this.undos.size() - 1; i >= 0 && this.undos.get(i).registered() > after; i--) {
			this.undos.remove(i).action().run();
		}
	}

	private record Undo(long registered, Runnable action) {
	}

}
