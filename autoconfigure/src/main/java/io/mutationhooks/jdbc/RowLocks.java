package io.mutationhooks.jdbc;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.dialect.H2Dialect;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.dialect.MySqlDialect;
import org.springframework.data.relational.core.mapping.AggregatePath;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

import io.mutationhooks.core.SafeText;

/**
 * Locks the root rows whose old state is about to be read, with one {@code SELECT ... WHERE id IN (...) ORDER BY id
 * FOR UPDATE} per thousand ids (a hundred on H2), in id order, so that two writers over the same rows take their
 * locks in the same order.
 * <p>
 * On MySQL and MariaDB it also makes sure the old state read next is the state the write replaces: their default
 * REPEATABLE READ reads a snapshot taken at the transaction's first read, and a row another transaction changed after
 * that snapshot would give stale old state (its replaced S3 object never cleaned up). The locked rows (a locking read
 * sees the latest committed version and the transaction's own changes) are compared with the snapshot's, and a
 * difference refuses the write with an {@link OptimisticLockingFailureException}, as Spring Data refuses a versioned
 * entity changed by another transaction: retrying the transaction succeeds. The rows of the tables inside the
 * aggregate that refer to the root are compared too, locked after the root rows: an update of children alone leaves
 * the root row as it was. Tables below an entity with an id of its own are not.
 * <p>
 * A delete of a whole table locks its rows {@linkplain #pages page by page} in id order, so that it holds one page in
 * memory at a time; each page is compared with the snapshot in the same way. On MySQL and MariaDB the whole table is
 * locked first, before the snapshot is taken, so that only a snapshot older than the delete (the caller's transaction
 * read the table before) can differ.
 */
public final class RowLocks {

	static final int IDS_PER_STATEMENT = 1000;

	/**
	 * H2 compares each row it finds with every value of an {@code IN} list of parameters, so a statement's cost grows
	 * with the square of its ids: in parts of a hundred, reading the rows of 1000 ids costs a fraction of one
	 * statement of 1000.
	 */
	private static final int IDS_PER_STATEMENT_ON_H2 = 100;

	/** How many ids a driver that streams fetches at a time while the whole table is locked. */
	private static final int LOCKED_IDS_PER_FETCH = 1000;

	private final NamedParameterJdbcOperations jdbc;

	private final JdbcConverter converter;

	private final IdentifierProcessing identifiers;

	private final boolean compareWithSnapshot;

	private final int idsPerStatement;

	/** The database's limit clause, or {@literal null} if it does not follow {@code ORDER BY} (no paging then). */
	private final LimitClause limit;

	private final Map<Class<?>, Statements> statements = new ConcurrentHashMap<>();

	private RowLocks(NamedParameterJdbcOperations jdbc, JdbcConverter converter, Dialect dialect) {
		this.jdbc = jdbc;
		this.converter = converter;
		this.identifiers = dialect.getIdentifierProcessing();
		this.compareWithSnapshot = dialect instanceof MySqlDialect;
		this.idsPerStatement = dialect instanceof H2Dialect ? IDS_PER_STATEMENT_ON_H2 : IDS_PER_STATEMENT;
		this.limit = dialect.limit().getClausePosition() == LimitClause.Position.AFTER_ORDER_BY ? dialect.limit()
				: null;
	}

	/**
	 * The row locks of the database {@code jdbc} reaches, or {@literal null} without operations or dialect (old state
	 * is then locked row by row through Spring Data's data access strategy).
	 * @param jdbc the operations on the data source Spring Data JDBC writes to
	 * @param converter the converter of the mapped entities
	 * @param dialect the dialect of that data source
	 */
	public static RowLocks forDatabase(NamedParameterJdbcOperations jdbc, JdbcConverter converter, Dialect dialect) {
		return jdbc == null || dialect == null ? null : new RowLocks(jdbc, converter, dialect);
	}

	/**
	 * Locks the root rows of the aggregates with {@code ids}.
	 * @return {@literal false} if these rows cannot be locked here (an embedded id): lock them one by one instead
	 * @throws OptimisticLockingFailureException on MySQL and MariaDB, if another transaction changed or removed one of
	 * the rows after this transaction's snapshot of it
	 */
	boolean lock(List<?> ids, Class<?> type) {
		Statements statements = this.statements.computeIfAbsent(type, this::statementsFor);
		if (statements == Statements.NONE) {
			return false;
		}
		for (int from = 0; from < ids.size(); from += this.idsPerStatement) {
			List<Object> values = new ArrayList<>();
			for (Object id : ids.subList(from, Math.min(from + this.idsPerStatement, ids.size()))) {
				values.add(this.converter.writeJdbcValue(id, statements.id.getTypeInformation(),
						this.converter.getTargetSqlType(statements.id)).getValue());
			}
			Map<String, Object> parameters = Map.of("ids", values);
			List<Map<String, Object>> locked = this.jdbc.queryForList(statements.select + " FOR UPDATE", parameters);
			requireSnapshot(type, statements, locked, values);
		}
		return true;
	}

	/** How many ids one statement that locks, reads or deletes rows by id names at most, on this database. */
	int idsPerStatement() {
		return this.idsPerStatement;
	}

	/**
	 * The root rows of {@code type} as pages of at most {@code size} rows to lock one after another in id order, or
	 * {@literal null} if they cannot be paged here (an embedded id, or a limit clause before {@code ORDER BY}).
	 */
	Pages pages(Class<?> type, int size) {
		Statements statements = this.statements.computeIfAbsent(type, this::statementsFor);
		return statements == Statements.NONE || statements.page == null ? null : new Pages(type, statements, size);
	}

	/**
	 * On MySQL and MariaDB, refuses rows locked with {@code ids} that differ from the transaction's snapshot of them.
	 */
	private void requireSnapshot(Class<?> type, Statements statements, List<Map<String, Object>> locked,
			List<Object> ids) {
		if (!this.compareWithSnapshot) {
			return;
		}
		boolean same = sameRows(locked, this.jdbc.queryForList(statements.select, Map.of("ids", ids)));
		for (int i = 0; same && i < statements.children.size(); i++) {
			String children = statements.children.get(i);
			// Locked after their root rows, as Spring Data's update writes them.
			same = sameRowsInAnyOrder(this.jdbc.queryForList(children + " FOR UPDATE", Map.of("ids", ids)),
					this.jdbc.queryForList(children, Map.of("ids", ids)));
		}
		if (!same) {
			throw new OptimisticLockingFailureException(type.getSimpleName() + " with id among "
					+ SafeText.quote(ids.toString()) + " was changed by another transaction after this "
					+ "transaction's snapshot of it (REPEATABLE READ), so the state this write replaces cannot be "
					+ "read; retry the transaction");
		}
	}

	/** Rows compared as sets with repeats, column by column, binary columns by content. */
	private static boolean sameRowsInAnyOrder(List<Map<String, Object>> locked, List<Map<String, Object>> snapshot) {
		if (locked.size() != snapshot.size()) {
			return false;
		}
		Map<List<Object>, Integer> counts = new HashMap<>();
		locked.forEach(row -> counts.merge(comparable(row), 1, Integer::sum));
		for (Map<String, Object> row : snapshot) {
			List<Object> key = comparable(row);
			Integer count = counts.get(key);
			if (count == null) {
				return false;
			}
			if (count == 1) {
				counts.remove(key);
			}
			else {
				counts.put(key, count - 1);
			}
		}
		return counts.isEmpty();
	}

	private static List<Object> comparable(Map<String, Object> row) {
		List<Object> values = new ArrayList<>(row.size());
		row.values().forEach(value -> values.add(value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value));
		return values;
	}

	private Statements statementsFor(Class<?> type) {
		RelationalPersistentEntity<?> entity = this.converter.getMappingContext().getRequiredPersistentEntity(type);
		RelationalPersistentProperty id = entity.getIdProperty();
		if (id == null || id.isEmbedded()) {
			return Statements.NONE;
		}
		String idColumn = id.getColumnName().toSql(this.identifiers);
		String columns = this.compareWithSnapshot ? "*" : idColumn;
		String from = " FROM " + entity.getQualifiedTableName().toSql(this.identifiers);
		String select = "SELECT " + columns + from + " WHERE " + idColumn + " IN (:ids) ORDER BY " + idColumn;
		List<String> children = this.compareWithSnapshot ? childSelects(entity) : List.of();
		if (this.limit == null) {
			return new Statements(select, id, null, null, children);
		}
		String greatest = "SELECT " + idColumn + from + " ORDER BY " + idColumn + " DESC " + this.limit.getLimit(1);
		return new Statements(select, id, greatest, new PageStatements("SELECT " + idColumn + from + " FOR UPDATE",
				"SELECT " + columns + from + " WHERE " + idColumn + " <= :greatest",
				" AND " + idColumn + " > :after", " ORDER BY " + idColumn + " "), children);
	}

	/**
	 * The selects of the rows, by the root ids {@code :ids}, of each table inside the aggregate whose rows refer to
	 * the root: an update that changes only children leaves the root row as it was, so they are compared with the
	 * snapshot too. Tables below an entity with an id of its own refer to that entity instead, and are not compared.
	 */
	private List<String> childSelects(RelationalPersistentEntity<?> root) {
		RelationalMappingContext context = this.converter.getMappingContext();
		// One per table and back reference: two children may share a table, each with a column of its own.
		Set<String> selects = new LinkedHashSet<>();
		addChildSelects(context, context.getAggregatePath(root), root, new ArrayList<>(List.of(root.getType())),
				selects);
		return List.copyOf(selects);
	}

	private void addChildSelects(RelationalMappingContext context, AggregatePath parent,
			RelationalPersistentEntity<?> entity, List<Class<?>> onTheWay, Set<String> selects) {
		for (RelationalPersistentProperty property : entity) {
			if (!property.isEntity() || property.isAssociation()) {
				continue;
			}
			Class<?> heldType = property.getActualType();
			RelationalPersistentEntity<?> held = context.getPersistentEntity(heldType);
			if (held == null || onTheWay.contains(heldType)) {
				continue;
			}
			AggregatePath path = parent.append(property);
			if (!property.isEmbedded() && path.getIdDefiningParentPath().isRoot()) {
				AggregatePath.TableInfo table = path.getTableInfo();
				selects.add("SELECT * FROM " + table.qualifiedTableName().toSql(this.identifiers) + " WHERE "
						+ table.reverseColumnInfo().name().toSql(this.identifiers) + " IN (:ids)");
			}
			onTheWay.add(heldType);
			addChildSelects(context, path, held, onTheWay, selects);
			onTheWay.remove(onTheWay.size() - 1);
		}
	}

	/** Rows compared column by column, arrays (binary columns) by content. */
	private static boolean sameRows(List<Map<String, Object>> locked, List<Map<String, Object>> snapshot) {
		if (locked.size() != snapshot.size()) {
			return false;
		}
		for (int i = 0; i < locked.size(); i++) {
			Map<String, Object> lockedRow = locked.get(i);
			Map<String, Object> snapshotRow = snapshot.get(i);
			if (lockedRow.size() != snapshotRow.size()) {
				return false;
			}
			for (Map.Entry<String, Object> column : lockedRow.entrySet()) {
				if (!Objects.deepEquals(column.getValue(), snapshotRow.get(column.getKey()))) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * The locking select of a type by ids, without its {@code FOR UPDATE}, its id property, and the statements that
	 * page through its rows ({@literal null} where the limit clause does not follow {@code ORDER BY}).
	 * @param greatest selects the greatest id
	 */
	/**
	 * The statements that lock and read a type's root rows.
	 * @param children on MySQL and MariaDB, the selects of the rows inside the aggregate by root id, to compare
	 */
	private record Statements(String select, RelationalPersistentProperty id, String greatest, PageStatements page,
			List<String> children) {

		static final Statements NONE = new Statements("", null, null, null, List.of());

	}

	/**
	 * The statements that page through a type's rows.
	 * @param lockAll locks every row, on MySQL and MariaDB, before the first page
	 * @param select a page's select: rows up to {@code :greatest}, then, after the first page, those above
	 * {@code :after}, in id order; the limit and {@code FOR UPDATE} follow
	 */
	private record PageStatements(String lockAll, String select, String after, String orderBy) {

	}

	/**
	 * The root rows of one type, locked page by page in id order up to the greatest id when the first page was
	 * locked: rows inserted later with greater ids are never reached, so a steady stream of inserts cannot keep a
	 * delete of the whole table going.
	 */
	final class Pages {

		private final Class<?> type;

		private final Statements statements;

		private final String first;

		private final String next;

		private boolean started;

		/** The greatest id as the database gives it, {@literal null} for an empty table. */
		private Object greatest;

		/** The last id locked, as the database gives it: the next page begins after it. */
		private Object after;

		private Pages(Class<?> type, Statements statements, int size) {
			this.type = type;
			this.statements = statements;
			String tail = statements.page.orderBy + RowLocks.this.limit.getLimit(size) + " FOR UPDATE";
			this.first = statements.page.select + tail;
			this.next = statements.page.select + statements.page.after + tail;
		}

		/**
		 * Locks the next page of rows.
		 * @return the ids of its rows in id order, as the id property holds them; empty when no row is left
		 * @throws OptimisticLockingFailureException on MySQL and MariaDB, if another transaction changed or removed
		 * one of the rows after this transaction's snapshot of it
		 */
		List<Object> lockNext() {
			if (!this.started) {
				this.started = true;
				if (RowLocks.this.compareWithSnapshot) {
					lockAll();
				}
				List<Object> greatest = RowLocks.this.jdbc.queryForList(this.statements.greatest, Map.of(),
						Object.class);
				this.greatest = greatest.isEmpty() ? null : greatest.get(0);
			}
			if (this.greatest == null) {
				return List.of();
			}
			Map<String, Object> parameters = new HashMap<>();
			parameters.put("greatest", this.greatest);
			parameters.put("after", this.after);
			List<Map<String, Object>> locked = RowLocks.this.jdbc
				.queryForList(this.after == null ? this.first : this.next, parameters);
			if (locked.isEmpty()) {
				this.greatest = null;
				return List.of();
			}
			String idName = this.statements.id.getColumnName().getReference();
			List<Object> values = new ArrayList<>(locked.size());
			List<Object> ids = new ArrayList<>(locked.size());
			for (Map<String, Object> row : locked) {
				Object value = row.get(idName);
				values.add(value);
				ids.add(RowLocks.this.converter.readValue(value, this.statements.id.getTypeInformation()));
			}
			requireSnapshot(this.type, this.statements, locked, values);
			this.after = values.get(values.size() - 1);
			return ids;
		}

		/**
		 * Locks every row of the table before the transaction's snapshot is taken (by the read of the greatest id, if
		 * the transaction has read nothing before), as Spring Data's lock of a whole table does: without it, a row
		 * another transaction changed after the snapshot, in a page not yet reached, would refuse the delete. The ids
		 * are read as a stream and dropped, so the table is never held in memory (where the driver streams: MariaDB's
		 * does with a fetch size, MySQL's only with {@code useCursorFetch=true}). A row another transaction inserts
		 * meanwhile waits for the delete to end, and is kept.
		 */
		private void lockAll() {
			RowLocks.this.jdbc.getJdbcOperations().query(connection -> {
				PreparedStatement statement = connection.prepareStatement(this.statements.page.lockAll);
				statement.setFetchSize(LOCKED_IDS_PER_FETCH);
				return statement;
			}, (RowCallbackHandler) row -> {
			});
		}

	}

}
