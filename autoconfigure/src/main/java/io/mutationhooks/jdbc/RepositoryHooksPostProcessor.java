package io.mutationhooks.jdbc;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactory;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactoryBean;
import org.springframework.data.repository.core.NamedQueries;
import org.springframework.data.repository.core.support.RepositoryFactorySupport;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;

import io.mutationhooks.Op;

/**
 * Prepares every Spring Data JDBC repository for hooks: its writing query methods run the hooks in a transaction,
 * derived deletes with the rows they delete read first, start-up warns about each other one on an entity that has
 * hooks (per-row hooks cannot see what it touches), and a repository that would write through a private, unhooked
 * template fails start-up instead of skipping hooks.
 */
public class RepositoryHooksPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(RepositoryHooksPostProcessor.class);

	private static final Object UNKNOWN = new Object();

	private final List<QueryWrite> queryWrites = new CopyOnWriteArrayList<>();

	private Supplier<MutationRunner> runner;

	private Function<Class<?>, Object> clients;

	/** The template without hooks. */
	private Supplier<JdbcAggregateOperations> unhooked;

	private volatile boolean started;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.runner = SingletonSupplier.of(() -> beanFactory.getBean(MutationRunner.class));
		Supplier<JdbcAggregateOperations> template = SingletonSupplier.of(() -> {
			JdbcAggregateOperations operations = beanFactory.getBean(JdbcAggregateOperations.class);
			if (operations instanceof HookedJdbcAggregateTemplate hooked) {
				return hooked.unhooked();
			}
			Object target = AopProxyUtils.getSingletonTarget(operations);
			return target instanceof JdbcAggregateOperations unproxied ? unproxied : operations;
		});
		this.unhooked = template;
		this.clients = type -> type.isInstance(template.get()) ? template.get() : null;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof JdbcRepositoryFactoryBean<?, ?, ?> factoryBean) {
			factoryBean.addRepositoryFactoryCustomizer(this::hookQueryWrites);
		}
		else if (bean instanceof JdbcRepositoryFactory factory) {
			// A factory declared as a bean builds repositories itself, without a factory bean to customize.
			requireHooked(operationsOf(JdbcRepositoryFactory.class, "operations", factory), beanName,
					"JdbcRepositoryFactory '" + beanName + "'", "is built on its own JdbcAggregateTemplate (from a DataAccessStrategy, not "
							+ "from the JdbcAggregateOperations bean)");
			hookQueryWrites(factory);
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof JdbcRepositoryFactoryBean<?, ?, ?> factoryBean) {
			requireHooked(operationsOf(JdbcRepositoryFactoryBean.class, "aggregateOperations", factoryBean), beanName,
					"Repository '" + beanName + "' (" + factoryBean.getObjectType() + ")", "writes through its own JdbcAggregateTemplate, "
							+ "because jdbcOperationsRef or dataAccessStrategyRef is set on @EnableJdbcRepositories");
		}
		return bean;
	}

	/**
	 * Makes the writing query methods of the repositories {@code factory} builds run the hooks, and lets hooks prepare
	 * their saves before the repository's transaction opens.
	 */
	private void hookQueryWrites(RepositoryFactorySupport factory) {
		factory.addRepositoryProxyPostProcessor((proxyFactory, repository) -> {
			// First of all advice, so that it runs before the repository's transaction takes a connection.
			proxyFactory.addAdvisor(0, new DefaultPointcutAdvisor(new StaticMethodMatcherPointcut() {
				@Override
				public boolean matches(Method method, Class<?> targetClass) {
					return PreparedSave.isSave(method);
				}
			}, new PreparedSave(this.runner, repository.getDomainType())));
			Map<Method, QueryWrite> writes = QueryWrite.of(repository, namedQueriesOf(factory));
			if (!writes.isEmpty()) {
				// A pointcut, so that the repository's other methods (save, find...) do not pass through it.
				StaticMethodMatcherPointcut queryWrites = new StaticMethodMatcherPointcut() {
					@Override
					public boolean matches(Method method, Class<?> targetClass) {
						return writes.containsKey(method);
					}
				};
				proxyFactory.addAdvisor(new DefaultPointcutAdvisor(queryWrites,
						new QueryWriteInterceptor(writes, this.runner, this.clients, this.unhooked)));
				writes.values().forEach(this::report);
			}
		});
	}

	/**
	 * The queries {@code factory} knows by name, or {@literal null} if they cannot be read: Spring Data offers no
	 * getter, and a method it runs as a named query must not be taken for a derived delete.
	 */
	private static NamedQueries namedQueriesOf(RepositoryFactorySupport factory) {
		Field field = ReflectionUtils.findField(RepositoryFactorySupport.class, "namedQueries", NamedQueries.class);
		if (field == null) {
			return null;
		}
		try {
			ReflectionUtils.makeAccessible(field);
			return (NamedQueries) field.get(factory);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			return null;
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.started = true;
		this.queryWrites.forEach(this::warnIfHooked);
	}

	/**
	 * The writing query methods of the repositories built so far whose rows hooks cannot know: {@code @Modifying}
	 * queries, and derived deletes that do not read their rows first. Start-up warns about those of entity types
	 * with hooks.
	 * @return them in the order the repositories were built
	 */
	public List<UnknownRowsQuery> unknownRowsQueries() {
		return this.queryWrites.stream()
			.filter(write -> !readsRows(write))
			.map(write -> new UnknownRowsQuery(write.domainType(), write.method(), write.op()))
			.toList();
	}

	private void report(QueryWrite write) {
		this.queryWrites.add(write);
		if (this.started) {
			warnIfHooked(write);
		}
	}

	private void warnIfHooked(QueryWrite write) {
		if (this.runner.get().registry().hasHooks(write.domainType()) && !readsRows(write)) {
			logger.warn("{} writes {} rows with a query: hooks run around it as one bulk {} in a transaction, but the "
					+ "rows it touches are not known, so per-row hooks (old state, ids, S3 cleanup) cannot see them",
					write.method(), write.domainType().getSimpleName(), write.op());
		}
	}

	/** Whether hooks know the rows of {@code write}: a derived delete that reads them first. */
	private boolean readsRows(QueryWrite write) {
		return write.derivedDelete() != null
				&& write.derivedDelete().readsRows(this.unhooked.get().getConverter().getMappingContext());
	}

	/**
	 * A repository query method that writes rows hooks cannot know in advance: they run around it as one bulk
	 * write, with {@code m.rowsKnown()} false.
	 *
	 * @param domainType the aggregate type of the repository
	 * @param method the method, as {@code UserRepository.updateEmailByName(String, String)}
	 * @param op the operation hooks see
	 */
	public record UnknownRowsQuery(Class<?> domainType, String method, Op op) {

	}

	/** The operations a repository factory writes through, or {@code UNKNOWN} if they cannot be read. */
	private static Object operationsOf(Class<?> type, String fieldName, Object factory) {
		Field field = ReflectionUtils.findField(type, fieldName);
		if (field == null) {
			return UNKNOWN;
		}
		ReflectionUtils.makeAccessible(field);
		return ReflectionUtils.getField(field, factory);
	}

	private static void requireHooked(Object operations, String beanName, String described, String why) {
		if (operations == UNKNOWN) {
			logger.warn("Cannot verify that '{}' writes through the hooked JdbcAggregateTemplate", beanName);
			return;
		}
		if (!HookedAggregateOperationsPostProcessor.isHooked(operations)) {
			throw new IllegalStateException(described + " " + why + ", so mutation hooks would silently "
					+ "miss its writes. Let it use the shared JdbcAggregateOperations bean, or set "
					+ "mutation-hooks.enabled=false.");
		}
	}

}
