package io.mutationhooks.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.dialect.MySqlDialect;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

import io.mutationhooks.core.SafeText;

/**
 * Locks the root rows whose old state is about to be read, with one {@code SELECT ... WHERE id IN (...) ORDER BY id
 * FOR UPDATE} per thousand ids, in id order, so that two writers over the same rows take their locks in the same
 * order.
 * <p>
 * On MySQL and MariaDB it also makes sure the old state read next is the state the write replaces: their default
 * REPEATABLE READ reads a snapshot taken at the transaction's first read, and a row another transaction changed after
 * that snapshot would give stale old state (its replaced S3 object never cleaned up). The locked rows (a locking read
 * sees the latest committed version and the transaction's own changes) are compared with the snapshot's, and a
 * difference refuses the write with an {@link OptimisticLockingFailureException}, as Spring Data refuses a versioned
 * entity changed by another transaction: retrying the transaction succeeds. Only root rows are compared.
 */
public final class RowLocks {

	private static final int IDS_PER_STATEMENT = 1000;

	private final NamedParameterJdbcOperations jdbc;

	private final JdbcConverter converter;

	private final IdentifierProcessing identifiers;

	private final boolean compareWithSnapshot;

	private final Map<Class<?>, Statements> statements = new ConcurrentHashMap<>();

	private RowLocks(NamedParameterJdbcOperations jdbc, JdbcConverter converter, Dialect dialect) {
		this.jdbc = jdbc;
		this.converter = converter;
		this.identifiers = dialect.getIdentifierProcessing();
		this.compareWithSnapshot = dialect instanceof MySqlDialect;
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
		for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
			List<Object> values = new ArrayList<>();
			for (Object id : ids.subList(from, Math.min(from + IDS_PER_STATEMENT, ids.size()))) {
				values.add(this.converter.writeJdbcValue(id, statements.id.getTypeInformation(),
						this.converter.getTargetSqlType(statements.id)).getValue());
			}
			Map<String, Object> parameters = Map.of("ids", values);
			List<Map<String, Object>> locked = this.jdbc.queryForList(statements.select + " FOR UPDATE", parameters);
			if (this.compareWithSnapshot && !sameRows(locked, this.jdbc.queryForList(statements.select, parameters))) {
				throw new OptimisticLockingFailureException(type.getSimpleName() + " with id among "
						+ SafeText.quote(values.toString()) + " was changed by another transaction after this "
						+ "transaction's snapshot of it (REPEATABLE READ), so the state this write replaces cannot be "
						+ "read; retry the transaction");
			}
		}
		return true;
	}

	private Statements statementsFor(Class<?> type) {
		RelationalPersistentEntity<?> entity = this.converter.getMappingContext().getRequiredPersistentEntity(type);
		RelationalPersistentProperty id = entity.getIdProperty();
		if (id == null || id.isEmbedded()) {
			return Statements.NONE;
		}
		String idColumn = id.getColumnName().toSql(this.identifiers);
		String columns = this.compareWithSnapshot ? "*" : idColumn;
		return new Statements("SELECT " + columns + " FROM " + entity.getQualifiedTableName().toSql(this.identifiers)
				+ " WHERE " + idColumn + " IN (:ids) ORDER BY " + idColumn, id);
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

	/** The locking select of a type, without its {@code FOR UPDATE}, and its id property. */
	private record Statements(String select, RelationalPersistentProperty id) {

		static final Statements NONE = new Statements("", null);

	}

}
