package io.mutationhooks.jdbc;

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
 * Locks the row whose old state is read and makes sure that state is the one the write replaces, on databases whose
 * plain reads can be older than the lock: MySQL and MariaDB, whose default REPEATABLE READ reads a snapshot taken at
 * the transaction's first read. A row another transaction changed after that snapshot would give stale old state (its
 * replaced S3 object never cleaned up), so the write is refused with an {@link OptimisticLockingFailureException}, as
 * Spring Data refuses a versioned entity changed by another transaction; retrying the transaction succeeds.
 * <p>
 * It compares the root row as the lock reads it ({@code SELECT ... FOR UPDATE} reads the latest committed version and
 * the transaction's own changes) with the row as the snapshot has it.
 */
public final class StaleSnapshotCheck {

	private final NamedParameterJdbcOperations jdbc;

	private final JdbcConverter converter;

	private final IdentifierProcessing identifiers;

	private final Map<Class<?>, String> selects = new ConcurrentHashMap<>();

	private StaleSnapshotCheck(NamedParameterJdbcOperations jdbc, JdbcConverter converter, Dialect dialect) {
		this.jdbc = jdbc;
		this.converter = converter;
		this.identifiers = dialect.getIdentifierProcessing();
	}

	/**
	 * The check for the database of {@code dialect}, or {@literal null} where a lock's reads and the transaction's
	 * reads agree (H2, PostgreSQL: READ COMMITTED reads the latest committed state, and PostgreSQL's REPEATABLE READ
	 * refuses to lock a row changed after its snapshot).
	 * @param jdbc the operations on the data source Spring Data JDBC writes to
	 * @param converter the converter of the mapped entities
	 * @param dialect the dialect of that data source
	 */
	public static StaleSnapshotCheck forDatabase(NamedParameterJdbcOperations jdbc, JdbcConverter converter,
			Dialect dialect) {
		if (jdbc == null || !(dialect instanceof MySqlDialect)) {
			return null;
		}
		return new StaleSnapshotCheck(jdbc, converter, dialect);
	}

	/**
	 * Locks the root row of the aggregate with {@code id} and refuses to go on if this transaction's snapshot of it
	 * differs from what the lock reads.
	 * @throws OptimisticLockingFailureException if another transaction changed or removed the row after this
	 * transaction's snapshot
	 */
	void lockAndCheck(Object id, Class<?> type) {
		String select = this.selects.computeIfAbsent(type, this::selectById);
		Map<String, Object> parameters = Map.of("id", idValue(id, type));
		List<Map<String, Object>> locked = this.jdbc.queryForList(select + " FOR UPDATE", parameters);
		List<Map<String, Object>> snapshot = this.jdbc.queryForList(select, parameters);
		if (!sameRows(locked, snapshot)) {
			throw new OptimisticLockingFailureException(type.getSimpleName() + " with id " + SafeText.quote(
					String.valueOf(id)) + " was changed by another transaction after this transaction's snapshot of it "
					+ "(REPEATABLE READ), so the state this write replaces cannot be read; retry the transaction");
		}
	}

	private String selectById(Class<?> type) {
		RelationalPersistentEntity<?> entity = this.converter.getMappingContext().getRequiredPersistentEntity(type);
		return "SELECT * FROM " + entity.getQualifiedTableName().toSql(this.identifiers) + " WHERE "
				+ entity.getIdColumn().toSql(this.identifiers) + " = :id";
	}

	private Object idValue(Object id, Class<?> type) {
		RelationalPersistentProperty idProperty = this.converter.getMappingContext()
			.getRequiredPersistentEntity(type)
			.getRequiredIdProperty();
		return this.converter
			.writeJdbcValue(id, idProperty.getTypeInformation(), this.converter.getTargetSqlType(idProperty))
			.getValue();
	}

	private static boolean sameRows(List<Map<String, Object>> locked, List<Map<String, Object>> snapshot) {
		if (locked.size() != snapshot.size()) {
			return false;
		}
		for (int i = 0; i < locked.size(); i++) {
			if (!sameColumns(locked.get(i), snapshot.get(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean sameColumns(Map<String, Object> locked, Map<String, Object> snapshot) {
		if (locked.size() != snapshot.size()) {
			return false;
		}
		for (Map.Entry<String, Object> column : locked.entrySet()) {
			if (!Objects.deepEquals(column.getValue(), snapshot.get(column.getKey()))) {
				return false;
			}
		}
		return true;
	}

}
