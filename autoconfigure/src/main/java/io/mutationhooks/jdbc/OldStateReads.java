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

	private final Supplier<StaleSnapshotCheck> staleSnapshots;

	/**
	 * @param target the template the writes end in
	 * @param staleSnapshots the check of the database, {@literal null} where it needs none
	 */
	OldStateReads(JdbcAggregateOperations target, Supplier<StaleSnapshotCheck> staleSnapshots) {
		this.target = target;
		this.strategy = target instanceof JdbcAggregateTemplate template ? template.getDataAccessStrategy() : null;
		this.staleSnapshots = staleSnapshots;
	}

	/** The stored aggregate with {@code id}, locked; empty if there is none. */
	List<Object> byId(Object id, Class<Object> type) {
		if (this.strategy == null) {
			Object found = this.target.findById(id, type);
			return found == null ? List.of() : List.of(found);
		}
		StaleSnapshotCheck check = this.staleSnapshots.get();
		if (check != null) {
			check.lockAndCheck(id, type);
		}
		else {
			this.strategy.acquireLockById(id, LockMode.PESSIMISTIC_WRITE, type);
		}
		Object found = this.strategy.findById(id, type);
		return found == null ? List.of() : List.of(found);
	}

	/**
	 * The stored aggregates with {@code ids}, each locked, once each; missing ones left out. Rows are locked in the
	 * order of their ids where ids compare, so that two such reads over the same rows cannot deadlock.
	 */
	List<Object> byIds(List<Object> ids, Class<Object> type) {
		if (this.strategy == null) {
			return this.target.findAllById(ids, type);
		}
		List<Object> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
		if (distinct.stream().allMatch(Comparable.class::isInstance)) {
			try {
				distinct.sort(null);
			}
			catch (ClassCastException mixedTypes) {
				// Ids of different types: lock them in call order.
			}
		}
		List<Object> found = new ArrayList<>(distinct.size());
		for (Object id : distinct) {
			found.addAll(byId(id, type));
		}
		return found;
	}

	/**
	 * Every stored aggregate of {@code type}, all rows of its table locked. Unlike single rows, the whole table is not
	 * compared with the transaction's snapshot on MySQL and MariaDB.
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

}
