package io.mutationhooks.core;

import java.util.List;

/**
 * How the core reads and changes the properties of one entity type; the Spring Data JDBC integration implements
 * it on the mapping metadata.
 *
 * @param <T> the entity type
 */
public interface EntityModel<T> {

	/** The entity type. */
	Class<T> type();

	/** The names of the persistent properties, the id included, in declaration order. */
	List<String> fieldNames();

	/** The id of {@code entity}, or {@literal null} if it has none yet. */
	Object id(T entity);

	/**
	 * Reads one property.
	 * @throws IllegalArgumentException if {@code field} is not a persistent property of the type
	 */
	Object read(T entity, String field);

	/**
	 * Sets one property: in place for mutable entities, on a copy for immutable ones.
	 * @return the entity carrying the value, {@code entity} itself or a copy
	 * @throws IllegalArgumentException if {@code field} is not a persistent property of the type
	 */
	T write(T entity, String field, Object value);

}
