package io.mutationhooks.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;

import io.mutationhooks.Mutator;
import io.mutationhooks.Op;
import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.DefaultMutation;
import io.mutationhooks.core.DefaultMutation.Batch;
import io.mutationhooks.core.DefaultMutation.WriteContext;
import io.mutationhooks.core.OldState;

/**
 * Runs the hooks around every write method of {@link JdbcAggregateOperations}: the one point that every CRUD
 * repository write and every direct template write passes through. Reads pass straight through.
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
		if (args.length == 0 || hasNull(args) || !(invocation.getThis() instanceof JdbcAggregateOperations target)) {
			// Let Spring Data refuse bad arguments with its own messages.
			return invocation.proceed();
		}
		MutationRunner runner = this.runner.get();
		Write write = new Write(runner, target, invocation);
		return switch (method) {
			case "save", "insert", "update", "upsert" -> write.one(method, args[0]);
			case "saveAll", "insertAll", "updateAll" -> write.all(method, (Iterable<?>) args[0]);
			case "delete" -> write.delete(args[0]);
			case "deleteById" -> write.deleteById(args[0], (Class<?>) args[1]);
			case "deleteAllById" -> write.deleteAllById((Iterable<?>) args[0], (Class<?>) args[1]);
			default -> (args[0] instanceof Class<?> type) ? write.deleteAll(type) : write.deleteAll((Iterable<?>) args[0]);
		};
	}

	private static boolean hasNull(Object[] args) {
		for (Object arg : args) {
			if (arg == null) {
				return true;
			}
			if (arg instanceof Iterable<?> iterable) {
				for (Object element : iterable) {
					if (element == null) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** One call of a write method on the unhooked template; writes of types without hooks run as they are. */
	private record Write(MutationRunner runner, JdbcAggregateOperations target, MethodInvocation invocation) {

		Object one(String method, Object entity) throws Throwable {
			if (!this.runner.registry().hasHooks(entity.getClass())) {
				return this.invocation.proceed();
			}
			return this.runner.inTransaction(transaction -> saveOne(method, entity, transaction, Batch.single(entity)));
		}

		Object all(String method, Iterable<?> entities) throws Throwable {
			List<Object> list = new ArrayList<>();
			boolean hooked = false;
			for (Object entity : entities) {
				list.add(entity);
				hooked |= this.runner.registry().hasHooks(entity.getClass());
			}
			if (!hooked) {
				return this.invocation.proceed();
			}
			Batch batch = Batch.of(list);
			return this.runner.inTransaction(transaction -> {
				List<Object> saved = new ArrayList<>(list.size());
				for (Object entity : list) {
					saved.add(saveOne(method.substring(0, method.length() - 3), entity, transaction, batch));
				}
				return saved;
			});
		}

		Object delete(Object entity) throws Throwable {
			Class<Object> type = typeOf(entity);
			JdbcEntityModel<Object> model = this.runner.model(type);
			Object id = model.id(entity);
			if (id == null) {
				return this.invocation.proceed();
			}
			return deleting(type, transaction -> DefaultMutation.deleteOne(model, id,
					context(transaction, () -> findById(id, type))), () -> this.target.delete(entity));
		}

		Object deleteById(Object id, Class<?> domainType) throws Throwable {
			Class<Object> type = cast(domainType);
			return deleting(type, transaction -> DefaultMutation.deleteOne(this.runner.model(type), id,
					context(transaction, () -> findById(id, type))), () -> this.target.deleteById(id, type));
		}

		Object deleteAllById(Iterable<?> ids, Class<?> domainType) throws Throwable {
			Class<Object> type = cast(domainType);
			List<Object> idList = new ArrayList<>();
			ids.forEach(idList::add);
			return deleting(type, transaction -> DefaultMutation.delete(this.runner.model(type), idList,
					context(transaction, () -> this.target.findAllById(idList, type))),
					() -> this.target.deleteAllById(idList, type));
		}

		Object deleteAll(Class<?> domainType) throws Throwable {
			Class<Object> type = cast(domainType);
			return deleting(type, transaction -> DefaultMutation.delete(this.runner.model(type), null,
					context(transaction, () -> this.target.findAll(type))), () -> this.target.deleteAll(type));
		}

		/** Runs one delete mutation through the hooks of {@code type}, or the plain call when it has none. */
		private Object deleting(Class<?> type, Function<TransactionHooks, DefaultMutation<?>> mutation, Runnable write)
				throws Throwable {
			if (!this.runner.registry().hasHooks(type)) {
				return this.invocation.proceed();
			}
			return this.runner.inTransaction(transaction -> this.runner.execute(mutation.apply(transaction), m -> {
				write.run();
				return null;
			}));
		}

		Object deleteAll(Iterable<?> entities) throws Throwable {
			Map<Class<Object>, List<Object>> byType = new LinkedHashMap<>();
			boolean hooked = false;
			for (Object entity : entities) {
				byType.computeIfAbsent(typeOf(entity), key -> new ArrayList<>()).add(entity);
				hooked |= this.runner.registry().hasHooks(entity.getClass());
				if (this.runner.model(typeOf(entity)).id(entity) == null) {
					return this.invocation.proceed();
				}
			}
			if (!hooked) {
				return this.invocation.proceed();
			}
			return this.runner.inTransaction(transaction -> {
				byType.forEach((type, group) -> {
					JdbcEntityModel<Object> model = this.runner.model(type);
					List<Object> ids = group.stream().map(model::id).toList();
					this.runner.execute(DefaultMutation.delete(model, ids,
							context(transaction, () -> this.target.findAllById(ids, type))), mutation -> {
								this.target.deleteAll(group);
								return null;
							});
				});
				return null;
			});
		}

		private Object saveOne(String method, Object entity, TransactionHooks transaction, Batch batch) {
			Class<Object> type = typeOf(entity);
			JdbcEntityModel<Object> model = this.runner.model(type);
			Object id = model.id(entity);
			// upsert has to read the row to know its operation: that read is then the old state.
			List<Object> stored = method.equals("upsert") ? findById(id, type) : null;
			boolean create = switch (method) {
				case "insert" -> true;
				case "save" -> model.isNew(entity);
				case "upsert" -> stored.isEmpty();
				default -> false;
			};
			WriteContext<Object> context = create ? context(transaction, List::of, batch)
					: context(transaction, stored != null ? () -> stored : () -> findById(id, type), batch);
			DefaultMutation<Object> mutation = create ? DefaultMutation.create(model, entity, context)
					: DefaultMutation.updateOne(model, entity, context);
			return this.runner.execute(mutation, written(method, model, transaction));
		}

		private Mutator written(String method, JdbcEntityModel<Object> model, TransactionHooks transaction) {
			return mutation -> {
				Object entity = mutation.entity();
				Runnable restoreIdentity = model.identityRestorer(entity);
				Object saved = switch (method) {
					case "insert" -> this.target.insert(entity);
					case "update" -> this.target.update(entity);
					case "save" -> this.target.save(entity);
					default -> invokeOnTarget(entity);
				};
				if (saved == entity && restoreIdentity != null) {
					transaction.afterRollback(restoreIdentity);
				}
				return saved;
			};
		}

		private <T> WriteContext<T> context(TransactionHooks transaction, Supplier<List<T>> oldState) {
			return context(transaction, oldState, Batch.of(List.of()));
		}

		private <T> WriteContext<T> context(TransactionHooks transaction, Supplier<List<T>> oldState, Batch batch) {
			OldState<T> loader = oldState::get;
			Function<Class<?>, Object> clients = type -> type.isInstance(this.target) ? this.target : null;
			return new WriteContext<>(loader, transaction, clients, null, batch);
		}

		private List<Object> findById(Object id, Class<Object> type) {
			Object found = this.target.findById(id, type);
			return found == null ? List.of() : List.of(found);
		}

		/** Calls the intercepted method, such as upsert, which this Spring Data JDBC version may not declare. */
		private Object invokeOnTarget(Object entity) throws Exception {
			try {
				return this.invocation.getMethod().invoke(this.target, entity);
			}
			catch (InvocationTargetException ex) {
				if (ex.getCause() instanceof Exception cause) {
					throw cause;
				}
				throw ex;
			}
		}

		@SuppressWarnings("unchecked")
		private static Class<Object> typeOf(Object entity) {
			return (Class<Object>) entity.getClass();
		}

		@SuppressWarnings("unchecked")
		private static Class<Object> cast(Class<?> type) {
			return (Class<Object>) type;
		}

	}

}
