package io.mutationhooks.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.context.ApplicationContext;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.data.mapping.callback.EntityCallbacks;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;

/**
 * A {@link JdbcAggregateTemplate} whose write methods run the hooks: the template the starter declares in place of
 * Spring Boot's, so every repository write and every direct template write runs them. Reads are the template's own.
 * <p>
 * Writes end in a second, plain template on the same converter and data access strategy, which hooks get as their
 * client ({@code m.client(JdbcAggregateOperations.class)}) to write without running the hooks again.
 */
public class HookedJdbcAggregateTemplate extends JdbcAggregateTemplate {

	private final JdbcAggregateTemplate unhooked;

	private final HookedWrites writes;

	/**
	 * @param applicationContext the context, for entity callbacks and lifecycle events
	 * @param mappingContext the mapping context
	 * @param converter the converter
	 * @param dataAccessStrategy the data access strategy
	 * @param runner the runner, looked up on the first write
	 */
	public HookedJdbcAggregateTemplate(ApplicationContext applicationContext, RelationalMappingContext mappingContext,
			JdbcConverter converter, DataAccessStrategy dataAccessStrategy, Supplier<MutationRunner> runner) {
		super(applicationContext, mappingContext, converter, dataAccessStrategy);
		List<String> unhookedWrites = writeMethodsNotOverridden(JdbcAggregateTemplate.class,
				HookedJdbcAggregateTemplate.class);
		if (!unhookedWrites.isEmpty()) {
			throw new IllegalStateException("JdbcAggregateTemplate has write methods mutation hooks do not know (a newer "
					+ "Spring Data JDBC?): " + unhookedWrites + "; they would write without hooks. Upgrade mutation "
					+ "hooks, or set mutation-hooks.enabled=false");
		}
		this.unhooked = new JdbcAggregateTemplate(applicationContext, mappingContext, converter, dataAccessStrategy);
		this.writes = new HookedWrites(runner, this.unhooked);
	}

	/**
	 * The public write methods of {@code templateType} that {@code hookedType} does not declare: each would write
	 * without hooks.
	 * @param templateType the template, {@code JdbcAggregateTemplate} of the Spring Data JDBC on the class path
	 * @param hookedType the template with hooks
	 */
	static List<String> writeMethodsNotOverridden(Class<?> templateType, Class<?> hookedType) {
		return Arrays.stream(templateType.getMethods())
			.filter(method -> !Modifier.isStatic(method.getModifiers()) && !method.isBridge())
			.filter(method -> JdbcAggregateOperations.class.isAssignableFrom(method.getDeclaringClass()))
			.filter(method -> !HookedAggregateOperationsPostProcessor.isRead(method))
			.filter(method -> !overriddenBy(method, hookedType))
			.map(Method::getName)
			.distinct()
			.sorted()
			.toList();
	}

	private static boolean overriddenBy(Method method, Class<?> type) {
		try {
			type.getDeclaredMethod(method.getName(), method.getParameterTypes());
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	/** The plain template the writes end in: writes through it run no hooks. */
	public JdbcAggregateOperations unhooked() {
		return this.unhooked;
	}

	@Override
	public void setEntityCallbacks(EntityCallbacks entityCallbacks) {
		super.setEntityCallbacks(entityCallbacks);
		// The superclass constructor calls this before the plain template exists.
		if (this.unhooked != null) {
			this.unhooked.setEntityCallbacks(entityCallbacks);
		}
	}

	@Override
	public void setEntityLifecycleEventsEnabled(boolean enabled) {
		super.setEntityLifecycleEventsEnabled(enabled);
		this.unhooked.setEntityLifecycleEventsEnabled(enabled);
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		super.setApplicationContext(applicationContext);
		if (this.unhooked != null) {
			this.unhooked.setApplicationContext(applicationContext);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T save(T instance) {
		return (T) this.writes.save(instance);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> List<T> saveAll(Iterable<T> instances) {
		return (List<T>) this.writes.saveAll(instances);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T insert(T instance) {
		return (T) this.writes.insert(instance);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> List<T> insertAll(Iterable<T> instances) {
		return (List<T>) this.writes.insertAll(instances);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T update(T instance) {
		return (T) this.writes.update(instance);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> List<T> updateAll(Iterable<T> instances) {
		return (List<T>) this.writes.updateAll(instances);
	}

	/**
	 * Spring Data JDBC 4.1's {@code upsert}, with hooks: a {@code CREATE} or an {@code UPDATE_ONE} by whether the
	 * row exists. Declared without {@code @Override} so that it also compiles against 4.0, which lacks it.
	 * @param instance the aggregate root to insert or update
	 * @param <T> the aggregate type
	 * @return the written aggregate
	 */
	@SuppressWarnings("unchecked")
	public <T> T upsert(T instance) {
		return (T) this.writes.upsert(instance);
	}

	@Override
	public <S> void delete(S aggregateRoot) {
		this.writes.delete(aggregateRoot);
	}

	@Override
	public <S> void deleteById(Object id, Class<S> domainType) {
		this.writes.deleteById(id, domainType);
	}

	@Override
	public <T> void deleteAllById(Iterable<?> ids, Class<T> domainType) {
		this.writes.deleteAllById(ids, domainType);
	}

	@Override
	public void deleteAll(Class<?> domainType) {
		this.writes.deleteAll(domainType);
	}

	@Override
	public <T> void deleteAll(Iterable<? extends T> instances) {
		this.writes.deleteAll(instances);
	}

}
