package io.mutationhooks;

/**
 * The kind of write a {@link Mutation} describes, as in Ent.
 */
public enum Op {

	/** One new aggregate is inserted. */
	CREATE,

	/** One existing aggregate, known by its id, is updated. */
	UPDATE_ONE,

	/** Rows chosen by a query are updated; which ones is not known before the write. */
	UPDATE,

	/** One aggregate, known by its id, is deleted. */
	DELETE_ONE,

	/** Several aggregates are deleted: by ids, by instances, all of a type, or by a query. */
	DELETE;

	/**
	 * Whether this operation is one of the given ones.
	 * @param ops the operations to compare with
	 * @return {@code true} if this operation is among {@code ops}
	 */
	public boolean is(Op... ops) {
		for (Op op : ops) {
			if (op == this) {
				return true;
			}
		}
		return false;
	}

	/** Whether this operation deletes rows ({@link #DELETE_ONE} or {@link #DELETE}). */
	public boolean isDelete() {
		return this == DELETE_ONE || this == DELETE;
	}

	/** Whether this operation updates rows ({@link #UPDATE_ONE} or {@link #UPDATE}). */
	public boolean isUpdate() {
		return this == UPDATE_ONE || this == UPDATE;
	}

}
