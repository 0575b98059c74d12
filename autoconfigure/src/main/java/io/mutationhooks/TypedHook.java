package io.mutationhooks;

/**
 * A hook written against one entity type, Ent's {@code hook.UserFunc}: it sees a typed mutation and
 * decides whether and how to call {@code next}. Turn it into a {@link Hook} with
 * {@link Hooks#forEntity(Class, TypedHook)}.
 *
 * @param <T> the entity type
 */
@FunctionalInterface
public interface TypedHook<T> {

	/**
	 * Handles one mutation of the entity type.
	 * @param mutation the typed mutation
	 * @param next the rest of the chain; call {@code next.mutate(mutation)} to write
	 * @return what {@code next} returned, or a replacement
	 * @throws Exception to refuse the write
	 */
	Object mutate(Mutation<T> mutation, Mutator next) throws Exception;

}
