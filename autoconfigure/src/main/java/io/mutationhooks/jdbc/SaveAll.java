package io.mutationhooks.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.data.jdbc.core.JdbcAggregateOperations;

import io.mutationhooks.Hook;
import io.mutationhooks.Mutation;
import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.DefaultMutation;
import io.mutationhooks.core.DefaultMutation.Batch;
import io.mutationhooks.core.DefaultMutation.WriteContext;
import io.mutationhooks.core.MutationExecutor;
import io.mutationhooks.core.OldState;
import io.mutationhooks.transaction.SpringTransactionHooks;

/**
 * One {@code saveAll}, {@code insertAll} or {@code updateAll} of entities with hooks, written as Spring Data JDBC
 * writes it without hooks: in one batched call of the template. Ent's bulk model: every hook sees one mutation per
 * entity, the chain of each entity runs inside the innermost mutator of the one before, and the innermost of the last
 * writes them all ({@link MutationExecutor#executeAll}); code after {@code next} then sees the written entity.
 * <p>
 * The chains are nested on the thread's stack, so a call is written in parts of at most {@link #ENTITIES_PER_WRITE}
 * entities, each part one batched write after the hooks of its entities ran. Old state is read for the whole call
 * at once, one locking query per entity type (per 1000 ids, or 100 on H2), the first time any hook asks for the old
 * state of one of its entities.
 */
final class SaveAll {

	/**
	 * How many entities' chains are nested for one batched write. Each adds a few frames per hook to the stack; at
	 * this size a call with 10 hooks per entity stays far from the default thread stack's limit, even before the JIT
	 * compiles the frames smaller.
	 */
	static final int ENTITIES_PER_WRITE = 100;

	private final MutationRunner runner;

	private final JdbcAggregateOperations target;

	private final OldStateReads oldStateReads;

	private final Function<Class<?>, Object> clients;

	private final SaveKind kind;

	private final TransactionHooks transaction;

	private final Batch batch;

	private final List<Object> entities;

	/** Whether each entity is created: decided when its part is formed, before its hooks run. */
	private final boolean[] creates;

	private final boolean[] decided;

	private final StoredRows stored;

	/** The instances whose id and version a rollback puts back, taken when their first part is formed. */
	private final Set<Object> identitiesTaken = Collections.newSetFromMap(new IdentityHashMap<>());

	SaveAll(MutationRunner runner, JdbcAggregateOperations target, OldStateReads oldStateReads,
			Function<Class<?>, Object> clients, SaveKind kind, List<Object> entities, Batch batch,
			TransactionHooks transaction) {
		if (kind == SaveKind.UPSERT) {
			throw new IllegalArgumentException("upsert writes one entity");
		}
		this.runner = runner;
		this.target = target;
		this.oldStateReads = oldStateReads;
		this.clients = clients;
		this.kind = kind;
		this.entities = entities;
		this.batch = batch;
		this.transaction = transaction;
		this.creates = new boolean[entities.size()];
		this.decided = new boolean[entities.size()];
		Map<Object, Integer> indexes = new IdentityHashMap<>(entities.size());
		for (int i = 0; i < entities.size(); i++) {
			indexes.putIfAbsent(entities.get(i), i);
		}
		this.stored = new StoredRows();
		batch.storedStateFrom(entity -> {
			Integer index = indexes.get(entity);
			if (index == null || isCreate(index)) {
				return null;
			}
			List<Object> rows = this.stored.of(typeOf(entity), this.runner.model(typeOf(entity)).id(entity));
			return rows.isEmpty() ? null : rows.get(0);
		});
	}

	/** Runs the hooks and the writes; the written entities in call order. */
	List<Object> run() {
		List<Object> written = new ArrayList<>(this.entities.size());
		int from = 0;
		while (from < this.entities.size()) {
			int to = partEnd(from);
			written.addAll(part(from, to));
			from = to;
		}
		return written;
	}

	/**
	 * Where the part that starts at {@code from} ends: after {@link #ENTITIES_PER_WRITE} entities, or before an
	 * instance or a row it holds already. A repeated entity is then decided anew after the part before it is
	 * written (a new one saved twice is inserted, then updated), and the old state it replaces is read anew.
	 */
	private int partEnd(int from) {
		Set<Object> instances = Collections.newSetFromMap(new IdentityHashMap<>());
		Set<List<Object>> rows = new HashSet<>();
		int to = from;
		while (to < this.entities.size() && to - from < ENTITIES_PER_WRITE) {
			Object entity = this.entities.get(to);
			if (!instances.add(entity)) {
				break;
			}
			this.creates[to] = decide(to);
			// A create's id too, where it names a row (an assigned id, new by its version): not a generated one's.
			Object id = this.runner.model(typeOf(entity)).rowId(entity);
			if (id != null && !rows.add(List.of(entity.getClass(), id))) {
				break;
			}
			this.decided[to] = true;
			to++;
		}
		return to;
	}

	/** Whether the entity at {@code index} is created: as decided for its part, or as it would be decided now. */
	private boolean isCreate(int index) {
		return this.decided[index] ? this.creates[index] : decide(index);
	}

	private boolean decide(int index) {
		Object entity = this.entities.get(index);
		return switch (this.kind) {
			case INSERT -> true;
			case UPDATE -> false;
			default -> this.runner.model(typeOf(entity)).isNew(entity);
		};
	}

	private List<Object> part(int from, int to) {
		List<List<Hook>> hooks = new ArrayList<>(to - from);
		List<DefaultMutation<Object>> mutations = new ArrayList<>(to - from);
		List<Runnable> restoreIdentities = new ArrayList<>(to - from);
		for (int i = from; i < to; i++) {
			Object entity = this.entities.get(i);
			Class<Object> type = typeOf(entity);
			JdbcEntityModel<Object> model = this.runner.model(type);
			hooks.add(this.runner.hooksFor(type));
			Object id = this.creates[i] ? null : model.id(entity);
			OldState<Object> oldState = this.creates[i] ? OldState.none() : () -> this.stored.of(type, id);
			WriteContext<Object> context = new WriteContext<>(oldState, this.transaction, this.clients, null,
					this.batch);
			mutations.add(this.creates[i] ? DefaultMutation.create(model, entity, context)
					: DefaultMutation.updateOne(model, entity, context));
			// Taken before the hooks run, so that a rollback also takes back an id that a hook set on the instance,
			// whichever entity of the call fails; once per instance, as the caller passed it, though a later part
			// writes it again.
			Runnable restoreIdentity = this.identitiesTaken.add(entity) ? model.identityRestorer(entity, this.creates[i])
					: null;
			if (restoreIdentity != null) {
				restoreIdentities.add(restoreIdentity);
			}
		}
		if (!restoreIdentities.isEmpty()) {
			SpringTransactionHooks.whenUndone(this.transaction, () -> restoreIdentities.forEach(Runnable::run));
		}
		return MutationExecutor.executeAll(hooks, mutations, reached -> {
			List<Object> toWrite = new ArrayList<>(reached.size());
			List<Integer> positions = new ArrayList<>(reached.size());
			for (int i = 0; i < reached.size(); i++) {
				if (reached.get(i) != null) {
					toWrite.add(reached.get(i).entity());
					positions.add(from + i);
				}
			}
			this.stored.writing(toWrite);
			List<Object> written = write(toWrite, positions);
			List<Object> aligned = new ArrayList<>(Collections.nCopies(reached.size(), null));
			for (int i = 0; i < positions.size(); i++) {
				aligned.set(positions.get(i) - from, written.get(i));
			}
			return aligned;
		}, this.runner.writeObserver());
	}

	/**
	 * Writes {@code toWrite}, the entities of the call at {@code positions}, with as few calls of the template as
	 * their types allow: one per run of entities of one type, the call Spring Data's own would be.
	 */
	private List<Object> write(List<Object> toWrite, List<Integer> positions) {
		List<Object> written = new ArrayList<>(toWrite.size());
		int start = 0;
		while (start < toWrite.size()) {
			Class<?> type = toWrite.get(start).getClass();
			int end = start + 1;
			while (end < toWrite.size() && toWrite.get(end).getClass() == type) {
				end++;
			}
			written.addAll(writeOneType(toWrite.subList(start, end), positions.subList(start, end)));
			start = end;
		}
		return written;
	}

	private List<Object> writeOneType(List<Object> toWrite, List<Integer> positions) {
		return switch (this.kind) {
			case INSERT -> insertAll(toWrite);
			case UPDATE -> this.target.updateAll(toWrite);
			default -> save(toWrite, positions);
		};
	}

	/**
	 * A {@code saveAll} of entities of one type, each written as it was decided before the hooks ran, so that an
	 * entity a {@code CREATE} hook gave an id is inserted, not updated, as a single save is. Entities all created or
	 * all updated are inserted or updated at once, which sends the statements Spring Data's {@code saveAll} sends for
	 * them without asking each entity again whether it is new; a mix goes to Spring Data's {@code saveAll} where it
	 * takes each entity for what it was decided to be, else the creates are inserted and the updates updated.
	 */
	private List<Object> save(List<Object> toWrite, List<Integer> positions) {
		boolean anyCreate = false;
		boolean anyUpdate = false;
		for (Integer position : positions) {
			anyCreate |= this.creates[position];
			anyUpdate |= !this.creates[position];
		}
		if (!anyUpdate) {
			return insertAll(toWrite);
		}
		if (!anyCreate) {
			return this.target.updateAll(toWrite);
		}
		JdbcEntityModel<Object> model = this.runner.model(typeOf(toWrite.get(0)));
		boolean asDecided = true;
		for (int i = 0; i < toWrite.size() && asDecided; i++) {
			asDecided = !model.hasIdProperty() || model.isNew(toWrite.get(i)) == this.creates[positions.get(i)];
		}
		if (asDecided) {
			return this.target.saveAll(toWrite);
		}
		List<Object> inserts = new ArrayList<>();
		List<Object> updates = new ArrayList<>();
		for (int i = 0; i < toWrite.size(); i++) {
			(this.creates[positions.get(i)] ? inserts : updates).add(toWrite.get(i));
		}
		List<Object> inserted = inserts.isEmpty() ? List.of() : insertAll(inserts);
		List<Object> updated = updates.isEmpty() ? List.of() : this.target.updateAll(updates);
		List<Object> written = new ArrayList<>(toWrite.size());
		int insert = 0;
		int update = 0;
		for (int i = 0; i < toWrite.size(); i++) {
			written.add(this.creates[positions.get(i)] ? inserted.get(insert++) : updated.get(update++));
		}
		return written;
	}

	private List<Object> insertAll(List<Object> toInsert) {
		Iterable<Object> inserted = this.target.insertAll(toInsert);
		if (inserted instanceof List<Object> list) {
			return list;
		}
		List<Object> list = new ArrayList<>(toInsert.size());
		inserted.forEach(list::add);
		return list;
	}

	@SuppressWarnings("unchecked")
	private static Class<Object> typeOf(Object entity) {
		return (Class<Object>) entity.getClass();
	}

	/**
	 * The stored rows the call's updates replace, read for all of a type's updates with one locking query when the
	 * first of them is asked for. A row is read again on its own if another hooked write of its type ran since (a hook
	 * wrote), if a part of this call wrote it, or if it was not among those read (an entity that turned out to be an
	 * update only when its part was formed).
	 */
	private final class StoredRows {

		private final Map<Class<?>, Rows> byType = new HashMap<>();

		List<Object> of(Class<Object> type, Object id) {
			long writes = MutationExecutor.writesOnThisThread(type);
			Rows rows = this.byType.get(type);
			if (rows == null) {
				rows = read(type, writes);
				this.byType.put(type, rows);
			}
			boolean fresh = writes == rows.writesSeen && !rows.written.contains(id) && rows.requested.contains(id);
			if (!fresh) {
				return SaveAll.this.oldStateReads.byId(id, type);
			}
			Object row = rows.byId.get(id);
			return row == null ? List.of() : List.of(row);
		}

		/** Every update of {@code type} in the call, each row locked. */
		private Rows read(Class<Object> type, long writes) {
			JdbcEntityModel<Object> model = SaveAll.this.runner.model(type);
			List<Object> ids = new ArrayList<>();
			for (int i = 0; i < SaveAll.this.entities.size(); i++) {
				Object entity = SaveAll.this.entities.get(i);
				if (entity.getClass() == type && !isCreate(i)) {
					ids.add(model.id(entity));
				}
			}
			Rows rows = new Rows(new HashMap<>(ids.size() * 2), new HashSet<>(ids), writes);
			for (Object row : SaveAll.this.oldStateReads.byIds(ids, type)) {
				rows.byId.put(model.id(row), row);
			}
			return rows;
		}

		/**
		 * A part of the call is writing {@code entities}, counted as the latest write of each of their types: their
		 * rows are stale, the others still hold unless another write of their type ran since they were read.
		 */
		void writing(List<Object> entities) {
			if (this.byType.isEmpty()) {
				return;
			}
			Set<Class<?>> types = new HashSet<>();
			for (Object entity : entities) {
				Rows rows = this.byType.get(entity.getClass());
				if (rows == null) {
					continue;
				}
				if (types.add(entity.getClass())
						&& rows.writesSeen == MutationExecutor.writesOnThisThread(entity.getClass()) - 1) {
					rows.writesSeen++;
				}
				Object id = SaveAll.this.runner.model(typeOf(entity)).id(entity);
				if (id != null) {
					rows.written.add(id);
				}
			}
		}

	}

	private static final class Rows {

		private final Map<Object, Object> byId;

		/** The ids read: a missing one has no row. */
		private final Set<Object> requested;

		/** Ids whose rows a part of the call wrote since they were read. */
		private final Set<Object> written = new HashSet<>();

		/** The thread's count of hooked writes of the type when the rows were read, or when the call last wrote. */
		private long writesSeen;

		Rows(Map<Object, Object> byId, Set<Object> requested, long writesSeen) {
			this.byId = byId;
			this.requested = requested;
			this.writesSeen = writesSeen;
		}

	}

}
