package io.mutationhooks.core;

import java.util.List;

/**
 * Reads the stored state of the aggregates a mutation touches, before the write.
 *
 * @param <T> the entity type
 */
public interface OldState<T> {

	/** No old state: creates, and query writes whose rows are not known. */
	static <T> OldState<T> none() {
		return List::of;
	}

	/** Loads the stored aggregates; called at most once per mutation. */
	List<T> load();

}
