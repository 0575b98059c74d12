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
 * savepoint and the rollback. One per transaction, kept for the thread while it runs (held apart while a
 * {@code REQUIRES_NEW} one runs) and registered by its first action, so a savepoint it was not told of is older than
 * every action.
 * <p>
 * It also runs the undo actions ({@link SpringTransactionHooks#whenUndone}) of the writes a rollback undoes, at once,
 * and of every write when the transaction rolls back: newest first, so that when one object was written twice, what
 * it was before the first write is what stays.
 */
final class SavepointTimeline implements TransactionSynchronization {

	/**
	 * The timeline of the transaction running on this thread: a thread-local of its own rather than a resource of
	 * Spring's, which costs a map's look-ups on every write.
	 */
	private static final ThreadLocal<SavepointTimeline> running = new ThreadLocal<>();

	private long clock;

	/**
	 * When each savepoint was made, once one is; one rolled back to stays, since one made by hand may be rolled back
	 * to again.
	 */
	private Map<Object, Long> savepoints;

	/**
	 * The spans of the clock that rollbacks undid, each from its savepoint to the rollback (both exclusive), in
	 * order and apart: a rollback to an older savepoint takes in the spans after it. Made on the first rollback.
	 */
	private List<long[]> undoneSpans;

	/** The undo actions not run yet, oldest first, each with when it was registered; made on the first. */
	private List<Undo> undos;

	private SavepointTimeline() {
	}

	/**
	 * The timeline of the current transaction, registered with it on first use.
	 * @throws IllegalStateException if the thread has no active transaction synchronization: nothing is bound then
	 */
	static SavepointTimeline current() {
		SavepointTimeline timeline = running.get();
		if (timeline == null) {
			timeline = new SavepointTimeline();
			// Registered first, which fails outside a transaction's synchronization: kept, it would outlive it.
			TransactionSynchronizationManager.registerSynchronization(timeline);
			running.set(timeline);
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
		if (this.undoneSpans == null) {
			return false;
		}
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
		if (this.undos == null) {
			this.undos = new ArrayList<>(2);
		}
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
		if (this.undoneSpans == null) {
			this.undoneSpans = new ArrayList<>(2);
		}
		this.undoneSpans.removeIf(span -> span[0] >= from);
		this.undoneSpans.add(new long[] { from, to });
		if (this.savepoints != null) {
			this.savepoints.values().removeIf(time -> time > from);
		}
		runUndos(from);
	}

	// Set to null rather than removed: a removed entry is made again, a weak reference, by the next transaction.
	@Override
	public void suspend() {
		running.set(null);
	}

	@Override
	public void resume() {
		running.set(this);
	}

	@Override
	public void afterCompletion(int status) {
		running.set(null);
		if (status == STATUS_ROLLED_BACK) {
			runUndos(0);
		}
	}

	/** Runs, newest first, the undo actions registered after {@code after}. */
	private void runUndos(long after) {
		if (this.undos == null) {
			return;
		}
		for (int i = this.undos.size() - 1; i >= 0 && this.undos.get(i).registered() > after; i--) {
			this.undos.remove(i).action().run();
		}
	}

	private record Undo(long registered, Runnable action) {
	}

}
