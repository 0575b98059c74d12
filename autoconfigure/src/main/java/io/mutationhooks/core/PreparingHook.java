package io.mutationhooks.core;

import java.util.List;
import java.util.Map;

/**
 * A hook with slow remote work (an S3 existence check) that can be done before the write's transaction takes a
 * database connection, when the write opens its own transaction. What it learns goes into the attributes the
 * mutations of the call share ({@code Mutation.batchAttributes()}), where the hook finds it when it runs. Preparing
 * decides nothing: the hook still checks what is really written, since hooks before it may change the entity.
 */
public interface PreparingHook {

	/**
	 * Prepares the creates of {@code entities}, all of {@code type}, before their transaction begins.
	 * @param type the entity type
	 * @param entities the entities the call will create, in call order
	 * @param attributes the attributes the mutations of the call share
	 */
	void prepareCreates(Class<?> type, List<?> entities, Map<Object, Object> attributes);

}
