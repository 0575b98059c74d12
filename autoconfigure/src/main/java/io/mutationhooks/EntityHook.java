package io.mutationhooks;

/**
 * A {@link Hook} that runs only for mutations of one entity type and its subtypes, or of the types it
 * {@linkplain #appliesTo(Class) chooses}. The registry runs such hooks after the global ones.
 */
public interface EntityHook extends Hook {

	/** The entity type this hook applies to. */
	Class<?> entityType();

	/**
	 * Whether this hook runs for writes of {@code type}; by default for {@link #entityType()} and its subtypes.
	 * @param type an entity type
	 */
	default boolean appliesTo(Class<?> type) {
		return entityType().isAssignableFrom(type);
	}

	/**
	 * The hook the registry runs for writes of {@code type}, a type this hook {@linkplain #appliesTo(Class) applies
	 * to}: by default this hook itself. The registry asks once per type, so a hook can leave out a check that the
	 * type already answers.
	 * @param type an entity type this hook applies to
	 */
	default Hook forType(Class<?> type) {
		return this;
	}

}
