package io.mutationhooks;

/**
 * A {@link Hook} that runs only for mutations of one entity type (and its subtypes). The registry runs
 * such hooks after the global ones.
 */
public interface EntityHook extends Hook {

	/** The entity type this hook applies to. */
	Class<?> entityType();

}
