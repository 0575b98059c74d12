package io.mutationhooks.aot;

import java.util.List;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.data.relational.RelationalManagedTypes;

/**
 * Registers the declared fields of the application's entity types, and of their superclasses, for reflection: the
 * S3 sync reads {@code @S3Reference} and the configured reference fields on them, as it finds them in Spring Data
 * JDBC's mapping context. The types are those Spring Data JDBC manages ({@link RelationalManagedTypes}, found by its
 * entity scan at build time).
 */
class EntityFieldsAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		List<Class<?>> types = beanFactory.getBeanProvider(RelationalManagedTypes.class)
			.stream()
			.flatMap(managed -> managed.toList().stream())
			.distinct()
			.toList();
		if (types.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			for (Class<?> type : types) {
				for (Class<?> current = type; current != null && current != Object.class; current = current
					.getSuperclass()) {
					reflection.registerType(current, MemberCategory.ACCESS_DECLARED_FIELDS);
				}
			}
		};
	}

}
