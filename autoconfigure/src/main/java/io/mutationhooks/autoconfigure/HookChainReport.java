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
 * {@code logging.level.io.mutationhooks.autoconfigure.HookChainReport=debug}.
 */
final class HookChainReport {

	private static final Logger logger = LoggerFactory.getLogger(HookChainReport.class);

	private HookChainReport() {
	}

	/** Logs the hook chain of each entity type {@code mappingContext} knows, by the types' simple names. */
	static void log(HookRegistry registry, RelationalMappingContext mappingContext) {
		if (!logger.isDebugEnabled()) {
			return;
		}
		List<Class<?>> types = mappingContext.getPersistentEntities()
			.stream()
			.<Class<?>>map(RelationalPersistentEntity::getType)
			.sorted(Comparator.comparing(Class::getName))
			.toList();
		for (Class<?> type : types) {
			List<?> hooks = registry.hooksFor(type);
			logger.debug("Mutation hooks of {}: {}", type.getSimpleName(), hooks.isEmpty() ? "none" : hooks);
		}
	}

}
