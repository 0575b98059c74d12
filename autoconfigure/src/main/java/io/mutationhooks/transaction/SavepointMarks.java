package io.mutationhooks.transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * What a transaction synchronization held at each savepoint Spring told it of ({@code savepoint(Object)}: a
 * {@code NESTED} transaction's, or one made by hand through {@code TransactionStatus}), as the sizes of its lists, so
 * that a rollback to one can cut them back. A savepoint rolled back to stays, since one made by hand may be rolled
 * back to again; those made after it are gone. One released stays too: Spring does not say so, and never rolls back
 * to it.
 */
public final class SavepointMarks {

	private final List<Object> savepoints = new ArrayList<>();

	private final List<int[]> held = new ArrayList<>();

	/** Notes that {@code savepoint} was made while the synchronization held {@code sizes}. */
	public void made(Object savepoint, int... sizes) {
		this.savepoints.add(savepoint);
		this.held.add(sizes.clone());
	}

	/**
	 * What was held at the latest savepoint still noted.
	 * @param position which of the sizes {@link #made} notes
	 * @return that size, or 0 when no savepoint is noted
	 */
	public int latest(int position) {
		return this.held.isEmpty() ? 0 : this.held.get(this.held.size() - 1)[position];
	}

	/**
	 * Notes a rollback to {@code savepoint}, forgetting the savepoints made after it.
	 * @param savepoint the savepoint rolled back to
	 * @param width how many sizes {@link #made} notes
	 * @return the sizes held when it was made, or {@code width} zeros for a savepoint made before the synchronization
	 * was registered: all it holds came after it
	 */
	public int[] rolledBackTo(Object savepoint, int width) {
		int index = this.savepoints.lastIndexOf(savepoint);
		this.savepoints.subList(index + 1, this.savepoints.size()).clear();
		this.held.subList(index + 1, this.held.size()).clear();
		return index >= 0 ? this.held.get(index).clone() : new int[width];
	}

}
