package io.mutationhooks.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import io.mutationhooks.core.DefaultMutation;
import io.mutationhooks.core.DefaultMutation.WriteContext;
import io.mutationhooks.core.OldState;

/**
 * Runs the hooks, in one transaction, around the repository query methods that write: they bypass the template and
 * would otherwise run with no hooks and no transaction.
 */
final class QueryWriteInterceptor implements MethodInterceptor {

	private final Map<Method, QueryWrite> writes;

	private final Supplier<MutationRunner> runner;

	private final Function<Class<?>, Object> clients;

	/**
	 * @param writes the writing query methods of one repository
	 * @param runner runs the hooks
	 * @param clients the clients hooks may ask for, by type (the template without hooks)
	 */
	QueryWriteInterceptor(Map<Method, QueryWrite> writes, Supplier<MutationRunner> runner,
			Function<Class<?>, Object> clients) {
		this.writes = Map.copyOf(writes);
		this.runner = runner;
		this.clients = clients;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		QueryWrite write = this.writes.get(invocation.getMethod());
		if (write == null) {
			return invocation.proceed();
		}
		MutationRunner runner = this.runner.get();
		if (!runner.registry().hasHooks(write.domainType())) {
			return invocation.proceed();
		}
		return runner.inTransaction(transaction -> runner.execute(
				DefaultMutation.query(write.op(), runner.model(write.domainType()),
						new WriteContext<>(OldState.none(), transaction, this.clients, write.method())),
				mutation -> proceed(invocation)));
	}

	private static Object proceed(MethodInvocation invocation) throws Exception {
		try {
			return invocation.proceed();
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

}
