package io.mutationhooks.jdbc;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import io.mutationhooks.core.DefaultMutation.Batch;

/**
 * Lets the preparing hooks of a repository's {@code save} and {@code saveAll} do their remote work before the
 * repository's own transaction takes a connection: an advice outside the repository's transaction interceptor
 * prepares the call's batch and leaves it on the thread, where the template's write of the same entities finds it.
 */
final class PreparedSave implements MethodInterceptor {

	private static final ThreadLocal<PreparedSave.Call> current = new ThreadLocal<>();

	private final Supplier<MutationRunner> runner;

	private final Class<?> domainType;

	/** Whether hooks of the repository's domain type prepare, once the runner knows; {@literal null} before. */
	private volatile Boolean domainTypePrepares;

	/**
	 * @param runner the runner, looked up on the first save
	 * @param domainType the repository's aggregate type: its saves are prepared only if hooks of it prepare (the S3
	 * binding's hook is registered at start-up)
	 */
	PreparedSave(Supplier<MutationRunner> runner, Class<?> domainType) {
		this.runner = runner;
		this.domainType = domainType;
	}

	/** Whether {@code method} of a repository saves what its one argument holds. */
	static boolean isSave(Method method) {
		return (method.getName().equals("save") || method.getName().equals("saveAll"))
				&& method.getParameterCount() == 1;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		if (this.domainTypePrepares == Boolean.FALSE) {
			return invocation.proceed();
		}
		MutationRunner runner = this.runner.get();
		if (this.domainTypePrepares == null) {
			this.domainTypePrepares = runner.prepares(this.domainType);
			if (!this.domainTypePrepares) {
				return invocation.proceed();
			}
		}
		List<Object> entities = current.get() == null ? entitiesOf(invocation) : null;
		if (entities == null || entities.isEmpty()) {
			return invocation.proceed();
		}
		Batch batch = Batch.of(entities);
		if (!runner.prepareCreates(batch, false)) {
			return invocation.proceed();
		}
		current.set(new Call(entities, batch));
		try {
			return invocation.proceed();
		}
		finally {
			current.remove();
		}
	}

	/**
	 * The entities a save saves, or {@literal null} where they cannot be read here and again by the write: a
	 * {@literal null} among them, or an iterable that is no collection (it may be read once only).
	 */
	private static List<Object> entitiesOf(MethodInvocation invocation) {
		Object argument = invocation.getArguments()[0];
		if (argument == null) {
			return null;
		}
		if (!invocation.getMethod().getName().equals("saveAll")) {
			return List.of(argument);
		}
		if (!(argument instanceof Collection<?> collection)) {
			return null;
		}
		List<Object> entities = new ArrayList<>(collection.size());
		for (Object entity : collection) {
			if (entity == null) {
				return null;
			}
			entities.add(entity);
		}
		return entities;
	}

	/** The batch prepared for a save of exactly {@code entities}, the same instances in the same order, if any. */
	static Batch batchFor(List<Object> entities) {
		Call call = current.get();
		if (call == null || call.entities.size() != entities.size()) {
			return null;
		}
		for (int i = 0; i < entities.size(); i++) {
			if (call.entities.get(i) != entities.get(i)) {
				return null;
			}
		}
		current.remove();
		return call.batch;
	}

	private record Call(List<Object> entities, Batch batch) {
	}

}
