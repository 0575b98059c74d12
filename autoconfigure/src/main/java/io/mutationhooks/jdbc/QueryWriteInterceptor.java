package io.mutationhooks.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.util.function.SingletonSupplier;

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

	private final Supplier<JdbcAggregateOperations> target;

	private final Supplier<OldStateReads> oldState;

	/**
	 * @param writes the writing query methods of one repository
	 * @param runner runs the hooks
	 * @param clients the clients hooks may ask for, by type (the template without hooks)
	 * @param target the template without hooks, which deletes the rows a derived delete read
	 */
	QueryWriteInterceptor(Map<Method, QueryWrite> writes, Supplier<MutationRunner> runner,
			Function<Class<?>, Object> clients, Supplier<JdbcAggregateOperations> target) {
		this.writes = Map.copyOf(writes);
		this.runner = runner;
		this.clients = clients;
		this.target = target;
		this.oldState = SingletonSupplier.of(() -> new OldStateReads(target.get(), () -> runner.get().rowLocks()));
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
		DerivedDelete derived = write.derivedDelete();
		if (derived != null && derived.readsRows(this.target.get().getConverter().getMappingContext())) {
			return deleteReadRows(write, derived, invocation, runner);
		}
		return runner.inTransaction(transaction -> runner.execute(
				DefaultMutation.query(write.op(), runner.model(write.domainType()),
						new WriteContext<>(OldState.none(), transaction, this.clients, write.method())),
				mutation -> proceed(invocation)));
	}

	/**
	 * Runs a derived delete so that hooks know its rows: their old state is the aggregates its criteria match, read
	 * under lock, and exactly those are deleted by id, not a row another transaction inserted since. If no hook asks
	 * for them, Spring Data's own statements run, as they would without the starter.
	 */
	private Object deleteReadRows(QueryWrite write, DerivedDelete derived, MethodInvocation invocation,
			MutationRunner runner) {
		@SuppressWarnings("unchecked")
		Class<Object> type = (Class<Object>) write.domainType();
		JdbcEntityModel<Object> model = runner.model(type);
		JdbcAggregateOperations target = this.target.get();
		OldState<Object> matching = () -> {
			List<Object> ids = derived.lockMatching(invocation.getArguments(), target);
			return ids.isEmpty() ? List.of() : this.oldState.get().byIds(ids, type);
		};
		return runner.inTransaction(transaction -> runner.execute(DefaultMutation.derivedDelete(model,
				new WriteContext<>(matching, transaction, this.clients, write.method())), mutation -> {
					List<?> seen = HookedWrites.seenBy(mutation);
					if (seen == null) {
						return proceed(invocation);
					}
					List<Object> ids = seen.stream().map(model::id).toList();
					HookedWrites.deleteByIds(runner, target, ids, type);
					return derived.result(ids.size());
				}));
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
