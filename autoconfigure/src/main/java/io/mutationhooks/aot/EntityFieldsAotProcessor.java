package io.mutationhooks.aot;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.util.ClassUtils;

/**
 * Registers the declared fields of the application's entity types, of the types their fields hold (child entities,
 * in collections and maps too, and embedded values, which need no {@code @Table}), and of all their superclasses,
 * for reflection: the S3 sync reads {@code @S3Reference} and the configured reference fields on them, inside
 * aggregates too. The entity types are those Spring Boot's Spring Data JDBC support scans for: classes annotated with
 * {@code @Table} in the {@code @EntityScan} packages, or else in the auto-configuration packages.
 * <p>
 * The scan is done here, with a plain resource loader, rather than by asking for Spring Data JDBC's managed types
 * bean: creating that bean at build time resolves class path resources through the application context, whose
 * protocol resolvers may create other beans before configuration properties are bound (Spring Cloud AWS's
 * {@code S3ProtocolResolver} creates the S3 client and its credentials provider, and the generated code then expects
 * the build-time provider's destroy method at run time).
 */
class EntityFieldsAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		List<Class<?>> entityTypes = entityTypes(beanFactory);
		if (entityTypes.isEmpty()) {
			return null;
		}
		Set<Class<?>> types = new LinkedHashSet<>();
		entityTypes.forEach(type -> addWithHeldTypes(type, types));
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

	/** Adds {@code type} and, once each, the application types its fields hold, at any depth. */
	private static void addWithHeldTypes(Class<?> type, Set<Class<?>> types) {
		if (type.isPrimitive() || type.isArray() || type.getName().startsWith("java.") || !types.add(type)) {
			return;
		}
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				if (!Modifier.isStatic(field.getModifiers())) {
					addHeld(ResolvableType.forField(field), types);
				}
			}
		}
	}

	/** The type itself, an array's component type, and a collection's or map's type arguments. */
	private static void addHeld(ResolvableType held, Set<Class<?>> types) {
		if (held.isArray()) {
			addHeld(held.getComponentType(), types);
			return;
		}
		Class<?> resolved = held.resolve();
		if (resolved != null) {
			addWithHeldTypes(resolved, types);
		}
		for (ResolvableType argument : held.getGenerics()) {
			addHeld(argument, types);
		}
	}

	private static List<Class<?>> entityTypes(ConfigurableListableBeanFactory beanFactory) {
		List<String> packages = packagesToScan(beanFactory);
		if (packages.isEmpty()) {
			return List.of();
		}
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.setResourceLoader(new DefaultResourceLoader(classLoader));
		scanner.addIncludeFilter(new AnnotationTypeFilter(Table.class));
		Set<String> classNames = new LinkedHashSet<>();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				classNames.add(candidate.getBeanClassName());
			}
		}
		List<Class<?>> types = new ArrayList<>(classNames.size());
		for (String className : classNames) {
			types.add(ClassUtils.resolveClassName(className, classLoader));
		}
		return types;
	}

	private static List<String> packagesToScan(ConfigurableListableBeanFactory beanFactory) {
		List<String> entityScan = EntityScanPackages.get(beanFactory).getPackageNames();
		if (!entityScan.isEmpty()) {
			return entityScan;
		}
		return AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory) : List.of();
	}

}
