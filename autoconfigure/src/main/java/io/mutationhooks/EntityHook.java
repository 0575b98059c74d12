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

}
