package io.mutationhooks.autoconfigure;

import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;

import io.mutationhooks.HookRegistry;

/**
 * Logs at start-up, at DEBUG, one line per entity type with the hooks that run around its writes, in running order
 * and named by their beans, the S3 sync with the fields it checks. DEBUG, not INFO: Boot keeps its own start-up
 * quiet at INFO, and an application with many entity types would get as many lines on every start; turn it on with
 * {@code logging.level.io.mutationhooks.autoconfigure.HookChainReport=debug}. The actuator endpoint
 * ({@code /actuator/mutationhooks}) shows the same chains of the same types, with more about each hook.
 */
final class HookChainReport {

	private static final Logger logger = LoggerFactory.getLogger(HookChainReport.class);

	private HookChainReport() {
	}

	/**
	 * The entity types whose chains the report lists, and the actuator endpoint shows: every type
	 * {@code mappingContext} knows, by class name.
	 */
	static List<Class<?>> entityTypes(RelationalMappingContext mappingContext) {
		return mappingContext.getPersistentEntities()
			.stream()
			.<Class<?>>map(RelationalPersistentEntity::getType)
			.sorted(Comparator.comparing(Class::getName))
			.toList();
	}

	/** Logs the hook chain of each entity type {@code mappingContext} knows, by the types' simple names. */
	static void log(HookRegistry registry, RelationalMappingContext mappingContext) {
		if (!logger.isDebugEnabled()) {
			return;
		}
		for (Class<?> type : entityTypes(mappingContext)) {
			List<?> hooks = registry.hooksFor(type);
			logger.debug("Mutation hooks of {}: {}", type.getSimpleName(), hooks.isEmpty() ? "none" : hooks);
		}
	}

}
