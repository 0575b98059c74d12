package io.mutationhooks.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.data.relational.core.sql.LockMode;

/**
 * Reads the stored state a write replaces. Each row is first locked ({@code SELECT ... FOR UPDATE} in the write's
 * transaction), so no other transaction can change it between this read and the write's commit: the old state a hook
 * sees is the state the write replaces. The reads go straight to the data access strategy, so they publish no
 * {@code AfterConvertEvent} and call no {@code AfterConvertCallback}: those are for the application's own reads.
 */
final class OldStateReads {

	private final JdbcAggregateOperations target;

	private final DataAccessStrategy strategy;

	private final Supplier<RowLocks> rowLocks;

	/**
	 * @param target the template the writes end in
	 * @param rowLocks the row locks of the database, {@literal null} to lock through the data access strategy
	 */
	OldStateReads(JdbcAggregateOperations target, Supplier<RowLocks> rowLocks) {
		this.target = target;
		this.strategy = target instanceof JdbcAggregateTemplate template ? template.getDataAccessStrategy() : null;
		this.rowLocks = rowLocks;
	}

	/** The stored aggregate with {@code id}, locked; empty if there is none. */
	List<Object> byId(Object id, Class<Object> type) {
		if (id == null) {
			// An entity without id has no stored row (the write then fails with Spring Data's own message).
			return List.of();
		}
		if (this.strategy == null) {
			Object found = this.target.findById(id, type);
			return found == null ? List.of() : List.of(found);
		}
		lock(List.of(id), type);
		Object found = this.strategy.findById(id, type);
		return found == null ? List.of() : List.of(found);
	}

	/**
	 * The stored aggregates with {@code ids}, each locked, once each; missing ones left out. They are read as many ids
	 * at a time as the row locks lock (1000, or 100 on H2).
	 */
	List<Object> byIds(List<Object> ids, Class<Object> type) {
		if (this.strategy == null) {
			return this.target.findAllById(ids, type);
		}
		List<Object> distinct = inIdOrder(new ArrayList<>(new LinkedHashSet<>(ids)));
		lock(distinct, type);
		return read(distinct, type);
	}

	/**
	 * The stored aggregates with {@code ids} (distinct), read through the data access strategy as many ids a statement
	 * as the row locks lock.
	 */
	private List<Object> read(List<Object> ids, Class<Object> type) {
		RowLocks locks = this.rowLocks.get();
		int perRead = locks != null ? locks.idsPerStatement() : ids.size();
		List<Object> found = new ArrayList<>(ids.size());
		for (int from = 0; from < ids.size(); from += perRead) {
			this.strategy.findAllById(ids.subList(from, Math.min(from + perRead, ids.size())), type)
				.forEach(found::add);
		}
		return found;
	}

	/**
	 * Locks the rows with {@code ids}, given in id order where the ids compare: a statement at a time where the
	 * database's row locks can (each in id order), else one by one through the data access strategy.
	 */
	private void lock(List<Object> ids, Class<Object> type) {
		RowLocks locks = this.rowLocks.get();
		if (locks != null && locks.lock(ids, type)) {
			return;
		}
		for (Object id : ids) {
			this.strategy.acquireLockById(id, LockMode.PESSIMISTIC_WRITE, type);
		}
	}

	/**
	 * {@code ids} sorted where they compare, so that rows locked over several statements are locked in id order
	 * across them too, and two writers of the same rows cannot each hold a part the other waits for; else as given.
	 */
	private static List<Object> inIdOrder(List<Object> ids) {
		if (ids.size() > 1 && ids.stream().allMatch(Comparable.class::isInstance)) {
			List<Object> sorted = new ArrayList<>(ids);
			try {
				sorted.sort(null);
				return sorted;
			}
			catch (ClassCastException mixedTypes) {
				return ids;
			}
		}
		return ids;
	}

	/**
	 * The stored aggregates of {@code type} page by page, the root rows of each page locked as it is taken, so that a
	 * delete of the whole table holds one page at a time; {@literal null} if the type's rows cannot be paged (no row
	 * locks or data access strategy, or an id that is not a single column): read them {@linkplain #all all at once}
	 * then.
	 * @param size the most rows a page holds
	 */
	Pages pages(Class<Object> type, int size) {
		RowLocks locks = this.strategy == null ? null : this.rowLocks.get();
		RowLocks.Pages rows = locks == null ? null : locks.pages(type, size);
		return rows == null ? null : new Pages(rows, type);
	}

	/**
	 * Every stored aggregate of {@code type}, all rows of its table locked. Unlike rows read by id, the whole table is
	 * not compared with the transaction's snapshot on MySQL and MariaDB.
	 */
	List<Object> all(Class<Object> type) {
		if (this.strategy == null) {
			return this.target.findAll(type);
		}
		this.strategy.acquireLockAll(LockMode.PESSIMISTIC_WRITE, type);
		List<Object> found = new ArrayList<>();
		this.strategy.findAll(type).forEach(found::add);
		return found;
	}

	/**
	 * The aggregates of one type, page by page: {@link #next()} locks the next page, {@link #read()} reads its
	 * aggregates, as often as asked, until the next page is locked.
	 */
	final class Pages {

		private final RowLocks.Pages rows;

		private final Class<Object> type;

		private List<Object> ids;

		private Pages(RowLocks.Pages rows, Class<Object> type) {
			this.rows = rows;
			this.type = type;
		}

		/**
		 * Locks the next page of root rows in id order.
		 * @return {@literal false} if no row is left
		 */
		boolean next() {
			this.ids = this.rows.lockNext();
			return !this.ids.isEmpty();
		}

		/** The ids of the page, in id order; the first page is locked if none is yet. */
		List<Object> ids() {
			if (this.ids == null) {
				next();
			}
			return this.ids;
		}

		/** The stored aggregates of the page, missing ones left out; the first page is locked if none is yet. */
		List<Object> read() {
			List<Object> ids = ids();
			if (ids.isEmpty()) {
				return List.of();
			}
			return OldStateReads.this.read(ids, this.type);
		}

	}

}
