package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.mutationhooks.Mutation;
import io.mutationhooks.Op;
import io.mutationhooks.TransactionHooks;

/**
 * The {@link Mutation} the integration hands to hooks. Copies made by {@link #withEntity(Object)} share one
 * {@link WriteContext}: old state, transaction and whether the write has begun.
 *
 * @param <T> the entity type
 */
public final class DefaultMutation<T> implements Mutation<T> {

	private final Op op;

	private final EntityModel<T> model;

	private final WriteContext<T> context;

	private final Object id;

	private final List<Object> ids;

	private T entity;

	/** Whether the rows of this query write are read before it runs ({@link #derivedDelete}). */
	private boolean queryRowsRead;

	private DefaultMutation(Op op, EntityModel<T> model, T entity, Object id, List<Object> ids,
			WriteContext<T> context) {
		this.op = op;
		this.model = model;
		this.entity = entity;
		this.id = id;
		this.ids = ids;
		this.context = context;
	}

	/** A create of {@code entity}. */
	public static <T> DefaultMutation<T> create(EntityModel<T> model, T entity, WriteContext<T> context) {
		return new DefaultMutation<>(Op.CREATE, model, requireEntity(entity), null, null, context);
	}

	/** An update of the one aggregate {@code entity}; the old state is the stored row with its id. */
	public static <T> DefaultMutation<T> updateOne(EntityModel<T> model, T entity, WriteContext<T> context) {
		return new DefaultMutation<>(Op.UPDATE_ONE, model, requireEntity(entity), null, null, context);
	}

	/** A delete of the one aggregate with {@code id}. */
	public static <T> DefaultMutation<T> deleteOne(EntityModel<T> model, Object id, WriteContext<T> context) {
		return new DefaultMutation<>(Op.DELETE_ONE, model, null, Objects.requireNonNull(id, "id must not be null"),
				null, context);
	}

	/**
	 * A bulk delete.
	 * @param ids the ids deleted, or {@literal null} when they are those of the old state (delete all of a type)
	 */
	public static <T> DefaultMutation<T> delete(EntityModel<T> model, List<Object> ids, WriteContext<T> context) {
		return new DefaultMutation<>(Op.DELETE, model, null, null, ids == null ? null : List.copyOf(ids), context);
	}

	/** A write by a repository query method, whose rows are not known before it runs. */
	public static <T> DefaultMutation<T> query(Op op, EntityModel<T> model, WriteContext<T> context) {
		if (!op.is(Op.CREATE, Op.UPDATE, Op.DELETE)) {
			throw new IllegalArgumentException("a query write is a CREATE, or a bulk UPDATE or DELETE, not " + op);
		}
		if (!context.isQuery()) {
			throw new IllegalArgumentException("a query write needs a context naming its query method");
		}
		return new DefaultMutation<>(op, model, null, null, null, context);
	}

	/**
	 * A bulk delete by a repository query method whose rows are read before it runs (a derived {@code deleteBy...}):
	 * it names its method like any query write, and its ids and old entities are those of its old state.
	 */
	public static <T> DefaultMutation<T> derivedDelete(EntityModel<T> model, WriteContext<T> context) {
		DefaultMutation<T> mutation = query(Op.DELETE, model, context);
		mutation.queryRowsRead = true;
		return mutation;
	}

	/** The context shared by {@code mutation} and its copies, or {@literal null} for a foreign mutation. */
	public static WriteContext<?> contextOf(Mutation<?> mutation) {
		return mutation instanceof DefaultMutation<?> m ? m.context : null;
	}

	@Override
	public Op op() {
		return this.op;
	}

	@Override
	public Class<T> type() {
		return this.model.type();
	}

	@Override
	public Object id() {
		if (this.entity == null) {
			return this.id;
		}
		// After the write, the id is the written instance's: a new object for records and immutable entities.
		Object written = this.context.writtenEntity;
		return this.model.id(written != null && type().isInstance(written) ? type().cast(written) : this.entity);
	}

	@Override
	public T entity() {
		return this.entity;
	}

	@Override
	public Set<String> fields() {
		if (this.entity == null) {
			return Set.of();
		}
		T old = this.op == Op.UPDATE_ONE ? oldEntity() : null;
		Set<String> fields = new LinkedHashSet<>();
		for (String name : this.model.fieldNames()) {
			Object value = this.model.read(this.entity, name);
			if (old == null ? value != null : !Objects.equals(value, this.model.read(old, name))) {
				fields.add(name);
			}
		}
		return Collections.unmodifiableSet(fields);
	}

	@Override
	public Optional<Object> field(String name) {
		requireField(name);
		return fields().contains(name) ? Optional.ofNullable(this.model.read(this.entity, name)) : Optional.empty();
	}

	@Override
	public Set<String> clearedFields() {
		if (this.op != Op.UPDATE_ONE) {
			return Set.of();
		}
		T old = oldEntity();
		if (old == null) {
			return Set.of();
		}
		Set<String> cleared = new LinkedHashSet<>();
		for (String name : this.model.fieldNames()) {
			if (this.model.read(this.entity, name) == null && this.model.read(old, name) != null) {
				cleared.add(name);
			}
		}
		return Collections.unmodifiableSet(cleared);
	}

	@Override
	public List<Object> ids() {
		requireRowsKnown("ids()");
		if (this.ids != null) {
			return this.ids;
		}
		if (this.op == Op.DELETE) {
			List<Object> loaded = new ArrayList<>();
			for (T old : this.context.oldState(this)) {
				loaded.add(this.model.id(old));
			}
			return Collections.unmodifiableList(loaded);
		}
		Object one = id();
		return one == null ? List.of() : List.of(one);
	}

	@Override
	public boolean rowsKnown() {
		return !this.context.isQuery() || this.queryRowsRead;
	}

	@Override
	public T oldEntity() {
		requireRowsKnown("oldEntity()");
		if (this.op.is(Op.DELETE, Op.UPDATE)) {
			throw new IllegalStateException(this.op + " of " + type().getSimpleName()
					+ " touches several rows: use oldEntities() instead of oldEntity()");
		}
		if (this.op == Op.CREATE) {
			return null;
		}
		List<T> old = this.context.oldState(this);
		return old.isEmpty() ? null : old.get(0);
	}

	@Override
	public Optional<Object> oldField(String name) {
		requireField(name);
		T old = oldEntity();
		return old == null ? Optional.empty() : Optional.ofNullable(this.model.read(old, name));
	}

	@Override
	public List<T> oldEntities() {
		requireRowsKnown("oldEntities()");
		return this.op == Op.CREATE ? List.of() : this.context.oldState(this);
	}

	@Override
	public void setField(String name, Object value) {
		requireField(name);
		if (this.entity == null) {
			throw new IllegalStateException(this.op + " of " + type().getSimpleName() + " has no entity to set '"
					+ name + "' on");
		}
		this.context.requireNotWritten(this, "setField(\"" + name + "\", ...)");
		this.entity = this.model.write(this.entity, name, value);
	}

	@Override
	public Mutation<T> withEntity(T entity) {
		if (this.entity == null) {
			throw new IllegalStateException(this.op + " of " + type().getSimpleName() + " writes no entity to replace");
		}
		requireEntity(entity);
		if (!type().isInstance(entity)) {
			throw new IllegalArgumentException("replacement entity must be a " + type().getName() + ", not "
					+ entity.getClass().getName());
		}
		return new DefaultMutation<>(this.op, this.model, entity, this.id, this.ids, this.context);
	}

	@Override
	public List<T> batch() {
		List<T> batch = new ArrayList<>();
		for (Object entity : this.context.batch.entities()) {
			if (type().isInstance(entity)) {
				batch.add(type().cast(entity));
			}
		}
		return Collections.unmodifiableList(batch);
	}

	@Override
	public Map<Object, Object> batchAttributes() {
		return this.context.batch.attributes();
	}

	@Override
	public TransactionHooks transaction() {
		return this.context.transactionOf(this);
	}

	@Override
	public <C> C client(Class<C> type) {
		return this.context.client(type);
	}

	@Override
	public Optional<String> query() {
		return Optional.ofNullable(this.context.query());
	}

	/** The model of the entity type. */
	public EntityModel<T> model() {
		return this.model;
	}

	@Override
	public String toString() {
		Object shownId = this.context.query() != null ? this.context.query()
				: this.op == Op.DELETE || this.op == Op.UPDATE ? (this.ids != null ? this.ids : "all") : id();
		return this.op + " " + type().getSimpleName() + (shownId == null ? "" : " " + shownId);
	}

	private void requireField(String name) {
		if (!this.model.fieldNames().contains(name)) {
			throw new IllegalArgumentException(type().getSimpleName() + " has no field '" + name + "'; its fields are "
					+ this.model.fieldNames());
		}
	}

	private void requireRowsKnown(String what) {
		if (!rowsKnown()) {
			throw new IllegalStateException(what + " is not available for " + this.context.query()
					+ ": the rows a query method writes are not known before it runs");
		}
	}

	private static <T> T requireEntity(T entity) {
		return Objects.requireNonNull(entity, "entity must not be null");
	}

	/**
	 * The entities of one call that writes several ({@code saveAll} and the like) and the attributes its mutations
	 * share, created when first asked for.
	 */
	public static final class Batch {

		private final List<Object> entities;

		private Map<Object, Object> attributes;

		private Function<Object, Object> storedState = entity -> null;

		private Batch(List<Object> entities) {
			this.entities = entities;
		}

		/** The batch of a write of one entity. */
		public static Batch single(Object entity) {
			return new Batch(List.of(entity));
		}

		/** A batch of {@code entities}. */
		public static Batch of(List<?> entities) {
			return entities.size() == 1 ? single(entities.get(0))
					: new Batch(Collections.unmodifiableList(new ArrayList<>(entities)));
		}

		/** The entities in call order. */
		public List<Object> entities() {
			return this.entities;
		}

		/**
		 * The stored state that {@code entity}, one of {@link #entities()}, replaces: for an update, the row with its
		 * id, read for the whole batch with one query per entity type the first time any mutation of the batch asks;
		 * {@literal null} for an entity the call creates, or one whose row does not exist.
		 */
		public Object storedStateOf(Object entity) {
			return this.storedState.apply(entity);
		}

		/** Sets what {@link #storedStateOf(Object)} answers with. */
		public void storedStateFrom(Function<Object, Object> storedState) {
			this.storedState = Objects.requireNonNull(storedState, "storedState must not be null");
		}

		/** The attributes shared by the mutations of the call. */
		public Map<Object, Object> attributes() {
			if (this.attributes == null) {
				this.attributes = new java.util.HashMap<>();
			}
			return this.attributes;
		}

	}

	/**
	 * What one write and every copy of its mutation share: the old state, loaded at most once and only before the
	 * write, the transaction hooks, the clients and the failure of the write itself.
	 *
	 * @param <T> the entity type
	 */
	public static final class WriteContext<T> {

		private final OldState<T> oldStateLoader;

		private final TransactionHooks transaction;

		private final Function<Class<?>, Object> clients;

		private final String query;

		private final Batch batch;

		private List<T> oldState;

		/** The old state hooks were last given: it stays when a nested write makes {@link #oldState} stale. */
		private List<T> lastGiven;

		private boolean written;

		private Object writtenEntity;

		private TransactionHooks named;

		private List<Throwable> writeFailures;

		/**
		 * @param oldState reads the stored state before the write
		 * @param transaction the transaction hooks of the write
		 * @param clients the clients by type, returning {@literal null} for unknown types
		 * @param query the query method writing, or {@literal null} for aggregate writes
		 */
		public WriteContext(OldState<T> oldState, TransactionHooks transaction, Function<Class<?>, Object> clients,
				String query) {
			this(oldState, transaction, clients, query, Batch.of(List.of()));
		}

		/**
		 * @param oldState reads the stored state before the write
		 * @param transaction the transaction hooks of the write
		 * @param clients the clients by type, returning {@literal null} for unknown types
		 * @param query the query method writing, or {@literal null} for aggregate writes
		 * @param batch the call this write is part of
		 */
		public WriteContext(OldState<T> oldState, TransactionHooks transaction, Function<Class<?>, Object> clients,
				String query, Batch batch) {
			this.batch = Objects.requireNonNull(batch, "batch must not be null");
			this.oldStateLoader = Objects.requireNonNull(oldState, "oldState must not be null");
			this.transaction = Objects.requireNonNull(transaction, "transaction must not be null");
			this.clients = Objects.requireNonNull(clients, "clients must not be null");
			this.query = query;
		}

		List<T> oldState(DefaultMutation<T> mutation) {
			if (this.oldState == null) {
				requireNotWritten(mutation, "the old state");
				List<T> loaded;
				try {
					loaded = this.oldStateLoader.load();
				}
				catch (RuntimeException | Error failure) {
					// A failure of the database, not of a hook: it surfaces unchanged, as the write's own would.
					writeFailed(failure);
					throw failure;
				}
				this.oldState = List.copyOf(loaded);
				this.lastGiven = this.oldState;
			}
			return this.oldState;
		}

		/**
		 * {@link Batch#storedStateOf(Object)} of this write's call, asked for by one of its hooks: a failure to read
		 * is the database's, not the hook's, and surfaces unchanged.
		 */
		public Object storedStateOf(Object entity) {
			try {
				return this.batch.storedStateOf(entity);
			}
			catch (RuntimeException | Error failure) {
				writeFailed(failure);
				throw failure;
			}
		}

		/**
		 * The old state hooks were last given, or {@literal null} if no hook asked for it: also when a write nested in
		 * a hook made it stale since, so that a bulk delete still deletes exactly the rows its hooks saw.
		 */
		public List<T> loadedOldState() {
			return this.lastGiven;
		}

		/**
		 * Forgets the old state read so far, because a write nested in a hook of this one changed rows of its type:
		 * the next ask reads it again. Once this write has begun, the old state stays what it was.
		 */
		public void oldStateChanged() {
			if (!this.written) {
				this.oldState = null;
			}
		}

		/** Records what the write returned: the written instance, which for immutable entities is a new one. */
		public void written(Object result) {
			this.writtenEntity = result;
		}

		void requireNotWritten(DefaultMutation<T> mutation, String what) {
			if (this.written) {
				throw new IllegalStateException(what + " of " + mutation + " was asked for after the write; ask for it"
						+ " before calling next.mutate(mutation) so that it is read before the row changes");
			}
		}

		boolean isQuery() {
			return this.query != null;
		}

		String query() {
			return this.query;
		}

		TransactionHooks transactionOf(DefaultMutation<T> mutation) {
			if (this.named == null) {
				this.named = new NamedTransactionHooks(this.transaction, mutation);
			}
			return this.named;
		}

		<C> C client(Class<C> type) {
			Object client = this.clients.apply(type);
			if (client == null) {
				throw new IllegalArgumentException("no client of type " + type.getName() + " is available to hooks");
			}
			return type.cast(client);
		}

		/** Marks the start of the write: from now on old state that was not loaded cannot be. */
		public void beginWrite() {
			this.written = true;
		}

		/** Records that the write itself failed with {@code failure}, so it is rethrown unchanged. */
		public void writeFailed(Throwable failure) {
			if (this.writeFailures == null) {
				this.writeFailures = new ArrayList<>(1);
			}
			this.writeFailures.add(failure);
		}

		/** Whether {@code failure} is the write's own, not a hook's. */
		public boolean isWriteFailure(Throwable failure) {
			if (this.writeFailures == null) {
				return false;
			}
			for (Throwable writeFailure : this.writeFailures) {
				if (writeFailure == failure) {
					return true;
				}
			}
			return false;
		}

	}

}
