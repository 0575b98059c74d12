package io.mutationhooks;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One write of one entity type, as a hook sees it: what is written, how, and what was there before.
 * <p>
 * Old state ({@link #oldEntity()}, {@link #oldField(String)}, {@link #oldEntities()} and, for updates,
 * {@link #fields()}) is read from the database lazily, at most once, and only before the write: ask for it
 * before calling {@code next.mutate(mutation)}. Asking for it afterwards, when it was not loaded before, is an
 * {@link IllegalStateException}.
 *
 * @param <T> the entity type
 */
public interface Mutation<T> {

	/** The kind of write. */
	Op op();

	/** The entity (aggregate root) type written. */
	Class<T> type();

	/**
	 * The id of the one aggregate written by {@link Op#CREATE}, {@link Op#UPDATE_ONE} and {@link Op#DELETE_ONE};
	 * {@literal null} for bulk operations, and for a create whose id the database assigns until the write has run
	 * (after {@code next.mutate(m)} it is the assigned id).
	 */
	Object id();

	/**
	 * The new state for {@link Op#CREATE} and {@link Op#UPDATE_ONE}; {@literal null} for deletes and bulk updates.
	 */
	T entity();

	/**
	 * The fields set by a create (non-null properties) or changed by an update-one (compared with the old state);
	 * empty for deletes and bulk updates.
	 */
	Set<String> fields();

	/**
	 * The new value of a field set or changed by this mutation.
	 * @param name the property name
	 * @return the value, or empty if the field is not among {@link #fields()}
	 */
	Optional<Object> field(String name);

	/** The fields an update-one sets to {@literal null} that held a value before. */
	Set<String> clearedFields();

	/**
	 * The ids of the aggregates a bulk {@link Op#DELETE} removes; for one-aggregate operations the list holds
	 * {@link #id()} when it is known. For {@code deleteAll(Class)}, which runs one bulk delete per page of the table,
	 * the ids of the page are read from the table before the write; for a derived {@code deleteBy...} repository
	 * method, from the rows its criteria match, locked.
	 * @throws IllegalStateException for query writes whose rows are not known before they run ({@link #rowsKnown()})
	 */
	List<Object> ids();

	/**
	 * Whether the rows this mutation touches are known before the write. {@code false} only for repository query
	 * methods whose rows the starter cannot read first (start-up warns about each): {@code @Modifying @Query} methods,
	 * and derived {@code deleteBy...} methods that return neither nothing, a number nor a boolean, or whose aggregate
	 * has a composite id.
	 */
	boolean rowsKnown();

	/**
	 * The stored state of the aggregate before an {@link Op#UPDATE_ONE} or {@link Op#DELETE_ONE} (delete by id
	 * included), or {@literal null} if there was none. For {@link Op#CREATE} always {@literal null}.
	 * @throws IllegalStateException after the write, if not loaded before; for bulk operations (use
	 * {@link #oldEntities()})
	 */
	T oldEntity();

	/**
	 * A field of {@link #oldEntity()}.
	 * @param name the property name
	 * @return the old value, or empty if there was no old state or the value was {@literal null}
	 */
	Optional<Object> oldField(String name);

	/**
	 * The stored state of every aggregate a bulk {@link Op#DELETE} removes, or of the one aggregate of a
	 * one-aggregate operation. {@code deleteAll(Class)} reads the table a page of rows at a time, one bulk delete per
	 * page, so ask only when needed.
	 * @throws IllegalStateException after the write, if not loaded before; for query writes whose rows are not known
	 */
	List<T> oldEntities();

	/**
	 * Changes what is written, like Ent's {@code m.SetName(...)}: sets a property of {@link #entity()}. Immutable
	 * entities and records are copied (through a wither or the persistence constructor) and the copy is written.
	 * @param name the property name
	 * @param value the new value
	 * @throws IllegalStateException when there is no entity to change (deletes, bulk updates) or after the write
	 */
	void setField(String name, Object value);

	/**
	 * A mutation like this one that writes {@code entity} instead; pass it to {@code next}. It shares this
	 * mutation's old state and transaction.
	 * @param entity the replacement, of this mutation's type
	 */
	Mutation<T> withEntity(T entity);

	/**
	 * The entities written by the same call as this mutation ({@code saveAll}, {@code insertAll},
	 * {@code updateAll}), those of this mutation's type, in call order. A hook that does work for a whole batch at
	 * once, such as checking many S3 objects concurrently, prepares it on the first mutation and keeps it in
	 * {@link #batchAttributes()}. A single save's batch holds just its entity; deletes have an empty batch.
	 */
	List<T> batch();

	/** Attributes shared by the mutations of one call, where hooks keep what they prepared for the batch. */
	Map<Object, Object> batchAttributes();

	/** Actions to run on commit or rollback of the transaction the write runs in: Ent's {@code tx.OnCommit}. */
	TransactionHooks transaction();

	/**
	 * A client for reading other rows, or writing without running hooks again: Ent's {@code m.Client()}. With
	 * Spring Data JDBC, {@code client(JdbcAggregateOperations.class)} gives the template without hooks.
	 * @param type the client type
	 * @throws IllegalArgumentException if no client of that type is available
	 */
	<C> C client(Class<C> type);

	/**
	 * For writes made by a repository query method ({@code deleteBy...}, {@code @Modifying @Query}), the method
	 * that makes them, such as {@code UserRepository.deleteByName(String)}.
	 */
	Optional<String> query();

}
