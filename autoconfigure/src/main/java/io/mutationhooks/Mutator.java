package io.mutationhooks;

/**
 * Performs a write, or the rest of a hook chain ending in the write: Ent's {@code Mutator}.
 */
@FunctionalInterface
public interface Mutator {

	/**
	 * Performs the mutation.
	 * @param mutation the write to perform, never {@literal null}
	 * @return the written aggregate for {@link Op#CREATE} and {@link Op#UPDATE_ONE}, otherwise what the write returned
	 * (often {@literal null})
	 * @throws Exception to refuse the write; the transaction rolls back and nothing is written
	 */
	Object mutate(Mutation<?> mutation) throws Exception;

}
