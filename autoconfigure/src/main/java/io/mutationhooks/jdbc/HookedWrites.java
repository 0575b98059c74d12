package io.mutationhooks.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.util.ReflectionUtils;

import io.mutationhooks.Hook;
import io.mutationhooks.Mutation;
import io.mutationhooks.Mutator;
import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.DefaultMutation;
import io.mutationhooks.core.DefaultMutation.Batch;
import io.mutationhooks.core.DefaultMutation.WriteContext;
import io.mutationhooks.core.OldState;
import io.mutationhooks.transaction.SpringTransactionHooks;

/**
 * The write methods of {@link JdbcAggregateOperations}, running the hooks around writes of entity types that have
 * any, in one transaction. Writes of types without hooks, and calls Spring Data refuses (a {@literal null} argument,
 * an entity without id to delete), go to the unhooked template exactly as they came.
 */
final class HookedWrites {

	/** {@code upsert}, added by Spring Data JDBC 4.1; {@literal null} on older versions. */
	static final Method UPSERT = ReflectionUtils.findMethod(JdbcAggregateOperations.class, "upsert", Object.class);

	/**
	 * How many rows one page of a {@code deleteAll()} holds: its memory, and one S3 DeleteObjects request's worth of
	 * keys per reference field.
	 */
	private static final int ROWS_PER_PAGE = 1000;

	private final Supplier<MutationRunner> runner;

	private final JdbcAggregateOperations target;

	/** What {@code m.client(type)} gives hooks: the template without hooks. */
	private final Function<Class<?>, Object> clients;

	private final OldStateReads oldState;

	/**
	 * @param runner the runner, looked up on first write: hooks may depend on repositories, which depend on the
	 * template
	 * @param target the template without hooks: the writes end there, and hooks get it as their client
	 */
	HookedWrites(Supplier<MutationRunner> runner, JdbcAggregateOperations target) {
		this.runner = runner;
		this.target = target;
		this.clients = type -> type.isInstance(target) ? target : null;
		this.oldState = new OldStateReads(target, () -> runner.get().rowLocks());
	}

	/** The template without hooks. */
	JdbcAggregateOperations target() {
		return this.target;
	}

	Object save(Object entity) {
		List<Hook> hooks = hooksOf(entity);
		return hooks.isEmpty() ? this.target.save(entity) : one(SaveKind.SAVE, entity, hooks);
	}

	Object insert(Object entity) {
		List<Hook> hooks = hooksOf(entity);
		return hooks.isEmpty() ? this.target.insert(entity) : one(SaveKind.INSERT, entity, hooks);
	}

	Object update(Object entity) {
		List<Hook> hooks = hooksOf(entity);
		return hooks.isEmpty() ? this.target.update(entity) : one(SaveKind.UPDATE, entity, hooks);
	}

	Object upsert(Object entity) {
		List<Hook> hooks = hooksOf(entity);
		return hooks.isEmpty() ? upsertOnTarget(entity) : one(SaveKind.UPSERT, entity, hooks);
	}

	List<?> saveAll(Iterable<?> entities) {
		return hookedAll(entities) ? all(SaveKind.SAVE, entities) : this.target.saveAll(objects(entities));
	}

	Iterable<?> insertAll(Iterable<?> entities) {
		return hookedAll(entities) ? all(SaveKind.INSERT, entities) : this.target.insertAll(objects(entities));
	}

	List<?> updateAll(Iterable<?> entities) {
		return hookedAll(entities) ? all(SaveKind.UPDATE, entities) : this.target.updateAll(objects(entities));
	}

	void delete(Object entity) {
		Object id = hooked(entity) ? runner().model(typeOf(entity)).id(entity) : null;
		if (id == null) {
			// No hooks, or no id: Spring Data refuses the latter with its own message.
			this.target.delete(entity);
			return;
		}
		Class<Object> type = typeOf(entity);
		deleting(transaction -> DefaultMutation.deleteOne(runner().model(type), id,
				context(transaction, () -> findById(id, type))), () -> this.target.delete(entity));
	}

	void deleteById(Object id, Class<?> domainType) {
		if (id == null || !hookedType(domainType)) {
			this.target.deleteById(id, domainType);
			return;
		}
		Class<Object> type = cast(domainType);
		deleting(transaction -> DefaultMutation.deleteOne(runner().model(type), id,
				context(transaction, () -> findById(id, type))), () -> this.target.deleteById(id, type));
	}

	void deleteAllById(Iterable<?> ids, Class<?> domainType) {
		if (!hookedType(domainType) || hasNull(ids)) {
			this.target.deleteAllById(ids, domainType);
			return;
		}
		Class<Object> type = cast(domainType);
		List<Object> idList = new ArrayList<>();
		ids.forEach(idList::add);
		deleting(transaction -> DefaultMutation.delete(runner().model(type), idList,
				context(transaction, () -> this.oldState.byIds(idList, type))),
				() -> this.target.deleteAllById(idList, type));
	}

	/**
	 * Deletes every aggregate of {@code domainType}: where its rows can be paged, page by page in id order in one
	 * transaction, each page one bulk {@code DELETE} mutation, so that memory holds one page however large the table;
	 * otherwise as one mutation whose old state is the whole table.
	 */
	void deleteAll(Class<?> domainType) {
		if (!hookedType(domainType)) {
			this.target.deleteAll(domainType);
			return;
		}
		Class<Object> type = cast(domainType);
		MutationRunner runner = runner();
		JdbcEntityModel<Object> model = runner.model(type);
		OldStateReads.Pages pages = this.oldState.pages(type, ROWS_PER_PAGE);
		if (pages == null) {
			runner.inTransaction(transaction -> runner.execute(DefaultMutation.delete(model, null,
					context(transaction, () -> this.oldState.all(type))), mutation -> {
						List<?> seen = seenBy(mutation);
						if (seen == null) {
							this.target.deleteAll(type);
						}
						else {
							deleteByIds(runner, this.target, seen.stream().map(model::id).toList(), type);
						}
						return null;
					}));
			return;
		}
		runner.inTransaction(transaction -> {
			// The first page is locked only if a hook asks for its rows; each later one before its hooks run, so that
			// no hooks run for an empty page after the last.
			boolean paged = deletePage(runner, model, pages, transaction, true);
			while (paged && pages.next()) {
				deletePage(runner, model, pages, transaction, false);
			}
			return null;
		});
	}

	/**
	 * Runs the hooks around the delete of one page of a {@code deleteAll()}, and deletes exactly the rows they saw:
	 * a row another transaction inserts meanwhile is in no page, or in a page the hooks see.
	 * @return {@literal false} if no hook asked for the rows of the first page: the whole table is deleted then, as
	 * Spring Data does, without reading it
	 */
	private boolean deletePage(MutationRunner runner, JdbcEntityModel<Object> model, OldStateReads.Pages pages,
			TransactionHooks transaction, boolean first) {
		Class<Object> type = model.type();
		boolean[] paged = { true };
		runner.execute(DefaultMutation.delete(model, null, context(transaction, pages::read)), mutation -> {
			List<?> seen = seenBy(mutation);
			if (seen == null && first) {
				this.target.deleteAll(type);
				paged[0] = false;
			}
			else {
				// Hooks that did not ask for a later page's rows still delete that page only: its rows are locked.
				deleteByIds(runner, this.target, seen == null ? pages.ids() : seen.stream().map(model::id).toList(),
						type);
			}
			return null;
		});
		return paged[0];
	}

	/** The old state the hooks of a bulk delete saw, or {@literal null} if none asked for it. */
	static List<?> seenBy(Mutation<?> mutation) {
		WriteContext<?> context = DefaultMutation.contextOf(mutation);
		return context == null ? null : context.loadedOldState();
	}

	/**
	 * Deletes the aggregates with {@code ids} through {@code target}, as many a statement as the runner's database
	 * reads by id at once ({@link MutationRunner#idsPerStatement()}).
	 */
	static void deleteByIds(MutationRunner runner, JdbcAggregateOperations target, List<Object> ids,
			Class<Object> type) {
		int perStatement = runner.idsPerStatement();
		for (int from = 0; from < ids.size(); from += perStatement) {
			target.deleteAllById(ids.subList(from, Math.min(from + perStatement, ids.size())), type);
		}
	}

	void deleteAll(Iterable<?> entities) {
		if (!hookedAll(entities)) {
			this.target.deleteAll(entities);
			return;
		}
		MutationRunner runner = runner();
		Map<Class<Object>, List<Object>> byType = new LinkedHashMap<>();
		for (Object entity : entities) {
			if (runner.model(typeOf(entity)).id(entity) == null) {
				this.target.deleteAll(entities);
				return;
			}
			byType.computeIfAbsent(typeOf(entity), key -> new ArrayList<>()).add(entity);
		}
		runner.inTransaction(transaction -> {
			byType.forEach((type, group) -> {
				JdbcEntityModel<Object> model = runner.model(type);
				List<Object> ids = group.stream().map(model::id).toList();
				runner.execute(DefaultMutation.delete(model, ids,
						context(transaction, () -> this.oldState.byIds(ids, type))), mutation -> {
							this.target.deleteAll(group);
							return null;
						});
			});
			return null;
		});
	}

	private MutationRunner runner() {
		return this.runner.get();
	}

	private boolean hooked(Object entity) {
		return !hooksOf(entity).isEmpty();
	}

	/** The hooks that run around a write of {@code entity}, none for {@literal null}. */
	private List<Hook> hooksOf(Object entity) {
		return entity != null ? runner().hooksFor(entity.getClass()) : List.of();
	}

	private boolean hookedType(Class<?> type) {
		return type != null && runner().registry().hasHooks(type);
	}

	/** Whether any of {@code entities} has hooks; {@literal false} when there is a {@literal null} among them. */
	private boolean hookedAll(Iterable<?> entities) {
		if (entities == null) {
			return false;
		}
		boolean hooked = false;
		for (Object entity : entities) {
			if (entity == null) {
				return false;
			}
			hooked |= hooked(entity);
		}
		return hooked;
	}

	private static boolean hasNull(Iterable<?> values) {
		if (values == null) {
			return true;
		}
		for (Object value : values) {
			if (value == null) {
				return true;
			}
		}
		return false;
	}

	private Object one(SaveKind kind, Object entity, List<Hook> hooks) {
		// A type none of whose hooks prepares skips preparing at the cost of one look-up.
		Batch batch = batchOf(kind, List.of(entity), runner().prepares(entity.getClass()));
		return runner().inTransaction(transaction -> saveOne(kind, entity, hooks, transaction, batch));
	}

	private List<?> all(SaveKind kind, Iterable<?> entities) {
		List<Object> list = new ArrayList<>();
		entities.forEach(list::add);
		Batch batch = batchOf(kind, list, true);
		MutationRunner runner = runner();
		return runner.inTransaction(
				transaction -> new SaveAll(runner, this.target, this.oldState, this.clients, kind, list, batch, transaction)
					.run());
	}

	/** Runs one delete mutation through the hooks of its type, in one transaction. */
	private void deleting(Function<TransactionHooks, DefaultMutation<?>> mutation, Runnable write) {
		MutationRunner runner = runner();
		runner.inTransaction(transaction -> runner.execute(mutation.apply(transaction), m -> {
			write.run();
			return null;
		}));
	}

	private Object saveOne(SaveKind kind, Object entity, List<Hook> hooks, TransactionHooks transaction, Batch batch) {
		MutationRunner runner = runner();
		Class<Object> type = typeOf(entity);
		JdbcEntityModel<Object> model = runner.model(type);
		// upsert has to read the row to know its operation: that read is then the old state.
		List<Object> stored = kind == SaveKind.UPSERT ? findById(model.id(entity), type) : null;
		boolean create = switch (kind) {
			case INSERT -> true;
			case SAVE -> model.isNew(entity);
			case UPSERT -> stored.isEmpty();
			case UPDATE -> false;
		};
		// The old state of an update is the stored row with the mutation's id, read only if a hook asks for it.
		OldState<Object> oldState = create ? OldState.none()
				: stored != null ? () -> stored : () -> findById(model.id(entity), type);
		WriteContext<Object> context = new WriteContext<>(oldState, transaction, this.clients, null, batch);
		DefaultMutation<Object> mutation = create ? DefaultMutation.create(model, entity, context)
				: DefaultMutation.updateOne(model, entity, context);
		// Taken and registered before the hooks run, so that a rollback (or one to a savepoint made before the write)
		// also takes back an id that a hook set on the instance, whether or not the write is reached (and one Spring
		// Data set before the write failed).
		Runnable restoreIdentity = model.identityRestorer(entity, create);
		if (restoreIdentity != null) {
			SpringTransactionHooks.whenUndone(transaction, restoreIdentity);
		}
		return runner.execute(hooks, mutation, written(writeOf(kind, create, model)));
	}

	/**
	 * The batch of a save call: the one prepared before a repository's transaction opened, or a new one, prepared
	 * now if no transaction is open yet.
	 * @param mayPrepare whether a hook of the entities may prepare: {@literal false} skips preparing
	 */
	private Batch batchOf(SaveKind kind, List<Object> entities, boolean mayPrepare) {
		Batch prepared = PreparedSave.batchFor(entities);
		if (prepared != null) {
			return prepared;
		}
		Batch batch = Batch.of(entities);
		if (mayPrepare && (kind == SaveKind.SAVE || kind == SaveKind.INSERT)) {
			runner().prepareCreates(batch, kind == SaveKind.INSERT);
		}
		return batch;
	}

	/**
	 * How a save of an entity whose operation is decided writes: as that operation says, so that an entity a
	 * {@code CREATE} hook gave an id is inserted, not updated. Without an id property it stays a save, which Spring
	 * Data refuses with its own message.
	 */
	private static SaveKind writeOf(SaveKind kind, boolean create, JdbcEntityModel<Object> model) {
		if (kind != SaveKind.SAVE || !model.hasIdProperty()) {
			return kind;
		}
		return create ? SaveKind.INSERT : SaveKind.UPDATE;
	}

	/** The write at the end of the chain. */
	private Mutator written(SaveKind kind) {
		return mutation -> {
			Object entity = mutation.entity();
			return switch (kind) {
				case INSERT -> this.target.insert(entity);
				case UPDATE -> this.target.update(entity);
				case SAVE -> this.target.save(entity);
				case UPSERT -> upsertOnTarget(entity);
			};
		};
	}

	private <T> WriteContext<T> context(TransactionHooks transaction, OldState<T> oldState) {
		return new WriteContext<>(oldState, transaction, this.clients, null, Batch.of(List.of()));
	}

	private List<Object> findById(Object id, Class<Object> type) {
		return this.oldState.byId(id, type);
	}

	private Object upsertOnTarget(Object entity) {
		if (UPSERT == null) {
			throw new UnsupportedOperationException("upsert needs Spring Data JDBC 4.1 or later");
		}
		try {
			return UPSERT.invoke(this.target, entity);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Class<Object> typeOf(Object entity) {
		return (Class<Object>) entity.getClass();
	}

	@SuppressWarnings("unchecked")
	private static Iterable<Object> objects(Iterable<?> entities) {
		return (Iterable<Object>) entities;
	}

	@SuppressWarnings("unchecked")
	private static Class<Object> cast(Class<?> type) {
		return (Class<Object>) type;
	}

}
