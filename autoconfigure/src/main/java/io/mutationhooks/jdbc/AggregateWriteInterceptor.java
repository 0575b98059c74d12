package io.mutationhooks.jdbc;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;

/**
 * Runs the hooks around the write methods of a {@link JdbcAggregateOperations} bean the starter did not declare
 * itself, such as the template of an application's own {@code AbstractJdbcConfiguration}. Reads pass straight
 * through.
 */
final class AggregateWriteInterceptor implements MethodInterceptor {

	private final Supplier<MutationRunner> runner;

	AggregateWriteInterceptor(Supplier<MutationRunner> runner) {
		this.runner = runner;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		// The pointcut lets only writes through: reads never reach this method.
		String method = invocation.getMethod().getName();
		Object[] args = invocation.getArguments();
		if (!HookedAggregateOperationsPostProcessor.WRITE_METHODS.contains(method)) {
			throw new IllegalStateException("JdbcAggregateOperations." + method + " writes in a way mutation hooks do "
					+ "not know (a newer Spring Data JDBC?), so it is refused rather than run without hooks; upgrade "
					+ "mutation hooks or set mutation-hooks.enabled=false");
		}
		if (args.length == 0 || !(invocation.getThis() instanceof JdbcAggregateOperations target)) {
			return invocation.proceed();
		}
		HookedWrites writes = new HookedWrites(this.runner, target);
		switch (method) {
			case "save":
				return writes.save(args[0]);
			case "insert":
				return writes.insert(args[0]);
			case "update":
				return writes.update(args[0]);
			case "upsert":
				return writes.upsert(args[0]);
			case "saveAll":
				return writes.saveAll((Iterable<?>) args[0]);
			case "insertAll":
				return writes.insertAll((Iterable<?>) args[0]);
			case "updateAll":
				return writes.updateAll((Iterable<?>) args[0]);
			case "delete":
				writes.delete(args[0]);
				return null;
			case "deleteById":
				writes.deleteById(args[0], (Class<?>) args[1]);
				return null;
			case "deleteAllById":
				writes.deleteAllById((Iterable<?>) args[0], (Class<?>) args[1]);
				return null;
			default:
				if (invocation.getMethod().getParameterTypes()[0] == Class.class) {
					writes.deleteAll((Class<?>) args[0]);
				}
				else {
					writes.deleteAll((Iterable<?>) args[0]);
				}
				return null;
		}
	}

}
