package io.mutationhooks.jdbc;

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
		Object[] args = invocation.getArguments();
		if (args.length == 0 || args[0] == null || !(invocation.getThis() instanceof JdbcAggregateOperations target)) {
			return invocation.proceed();
		}
		MutationRunner runner = this.runner.get();
		Write write = new Write(runner, target);
		return switch (invocation.getMethod().getName()) {
			case "save", "insert", "update" -> write.one(invocation.getMethod().getName(), args[0], invocation);
			case "saveAll", "insertAll", "updateAll" ->
				write.all(invocation.getMethod().getName(), (Iterable<?>) args[0], invocation);
			case "delete" -> write.delete(args[0]);
			case "deleteById" -> write.deleteById(args[0], (Class<?>) args[1]);
			case "deleteAllById" -> write.deleteAllById((Iterable<?>) args[0], (Class<?>) args[1]);
			case "deleteAll" -> (args[0] instanceof Class<?> type) ? write.deleteAll(type)
					: write.deleteAll((Iterable<?>) args[0]);
			default -> invocation.proceed();
		};
	}

	/** One call of a write method on the unhooked template. */
	private record Write(MutationRunner runner, JdbcAggregateOperations target) {

		Object one(String method, Object entity, MethodInvocation invocation) throws Throwable {
			if (!this.runner.registry().hasHooks(entity.getClass())) {
				return proceedInTransaction(invocation);
			}
			return this.runner.inTransaction(transaction -> saveOne(method, entity, transaction, Batch.of(List.of(entity))));
		}

		Object all(String method, Iterable<?> entities, MethodInvocation invocation) throws Throwable {
			List<Object> list = new ArrayList<>();
			boolean hooked = false;
			for (Object entity : entities) {
				list.add(entity);
				hooked |= entity != null && this.runner.registry().hasHooks(entity.getClass());
			}
			if (!hooked) {
				return proceedInTransaction(invocation);
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

		Object delete(Object entity) {
			Class<Object> type = typeOf(entity);
			JdbcEntityModel<Object> model = this.runner.model(type);
			Object id = model.id(entity);
			if (id == null || !this.runner.registry().hasHooks(type)) {
				return this.runner.inTransaction(transaction -> {
					this.target.delete(entity);
					return null;
				});
			}
			return this.runner.inTransaction(transaction -> this.runner.execute(
					DefaultMutation.deleteOne(model, id, context(transaction, () -> findById(id, type))), mutation -> {
						this.target.delete(entity);
						return null;
					}));
		}

		Object deleteById(Object id, Class<?> domainType) {
			Class<Object> type = cast(domainType);
			return this.runner.inTransaction(transaction -> this.runner.execute(
					DefaultMutation.deleteOne(this.runner.model(type), id, context(transaction, () -> findById(id, type))),
					mutation -> {
						this.target.deleteById(id, type);
						return null;
					}));
		}

		Object deleteAllById(Iterable<?> ids, Class<?> domainType) {
			Class<Object> type = cast(domainType);
			List<Object> idList = new ArrayList<>();
			ids.forEach(idList::add);
			return this.runner.inTransaction(transaction -> this.runner.execute(
					DefaultMutation.delete(this.runner.model(type), idList,
							context(transaction, () -> this.target.findAllById(idList, type))),
					mutation -> {
						this.target.deleteAllById(idList, type);
						return null;
					}));
		}

		Object deleteAll(Class<?> domainType) {
			Class<Object> type = cast(domainType);
			return this.runner.inTransaction(transaction -> this.runner.execute(
					DefaultMutation.delete(this.runner.model(type), null,
							context(transaction, () -> this.target.findAll(type))),
					mutation -> {
						this.target.deleteAll(type);
						return null;
					}));
		}

		Object deleteAll(Iterable<?> entities) {
			Map<Class<Object>, List<Object>> byType = new LinkedHashMap<>();
			for (Object entity : entities) {
				byType.computeIfAbsent(typeOf(entity), key -> new ArrayList<>()).add(entity);
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
			boolean create = method.equals("insert") || method.equals("save") && model.isNew(entity);
			Object id = model.id(entity);
			WriteContext<Object> context = create ? context(transaction, List::of, batch)
					: context(transaction, () -> findById(id, type), batch);
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
					default -> this.target.save(entity);
				};
				if (saved == entity) {
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

		private Object proceedInTransaction(MethodInvocation invocation) throws Throwable {
			try {
				return this.runner.inTransaction(transaction -> {
					try {
						return invocation.proceed();
					}
					catch (RuntimeException | Error ex) {
						throw ex;
					}
					catch (Throwable ex) {
						throw new CheckedFailure(ex);
					}
				});
			}
			catch (CheckedFailure failure) {
				throw failure.getCause();
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

	/** Carries a checked exception out of a transaction callback. */
	static final class CheckedFailure extends RuntimeException {

		CheckedFailure(Throwable cause) {
			super(cause);
		}

	}

}
