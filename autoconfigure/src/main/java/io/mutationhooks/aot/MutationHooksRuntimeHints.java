package io.mutationhooks.aot;

import java.lang.reflect.Field;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactory;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactoryBean;
import org.springframework.util.ReflectionUtils;

import io.mutationhooks.jdbc.HookedJdbcAggregateTemplate;
import io.mutationhooks.s3.S3Reference;

/**
 * What the starter reflects on whatever the application is, for a native image: the fields through which it checks
 * that repositories write through the hooked template, the template's methods it compares to find writes it does not
 * hook, and the annotation it reads on entity fields. The entity types themselves are the application's:
 * {@link EntityFieldsAotProcessor} registers them.
 */
public class MutationHooksRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		registerField(hints, JdbcRepositoryFactory.class, "operations");
		registerField(hints, JdbcRepositoryFactoryBean.class, "aggregateOperations");
		hints.reflection().registerType(JdbcAggregateOperations.class, MemberCategory.INTROSPECT_PUBLIC_METHODS);
		hints.reflection().registerType(JdbcAggregateTemplate.class, MemberCategory.INTROSPECT_PUBLIC_METHODS);
		hints.reflection()
			.registerType(HookedJdbcAggregateTemplate.class, MemberCategory.INTROSPECT_DECLARED_METHODS);
		hints.reflection().registerType(S3Reference.class);
	}

	private static void registerField(RuntimeHints hints, Class<?> type, String name) {
		// Absent from another Spring Data JDBC version: the starter then warns that it cannot verify the repository.
		Field field = ReflectionUtils.findField(type, name);
		if (field != null) {
			hints.reflection().registerField(field);
		}
	}

}
