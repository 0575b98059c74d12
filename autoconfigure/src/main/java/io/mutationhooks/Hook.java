package io.mutationhooks;

/**
 * Middleware around a write: takes the next {@link Mutator} and returns one that wraps it, as Ent's
 * {@code Hook = func(Mutator) Mutator}.
 * <p>
 * Declare hooks as Spring beans and they run around every Spring Data JDBC write; hooks returned by
 * {@link Hooks#forEntity(Class, TypedHook)} run only for their entity type.
 */
@FunctionalInterface
public interface Hook {

	/**
	 * Wraps the next mutator.
	 * @param next the rest of the chain, ending in the write, never {@literal null}
	 * @return the wrapping mutator, never {@literal null}
	 */
	Mutator apply(Mutator next);

}
