package io.mutationhooks.s3.sweep;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.mapping.AggregatePath;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.SqlIdentifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

import io.mutationhooks.s3.ReferenceColumns.ReferenceColumn;

/**
 * The non-null values of one column holding references, page by page in the order of the columns that name their
 * rows (keyset paging, no offsets over the table): never more than a page, and the rows of one aggregate, at once.
 * <p>
 * In a root's table the root's id names a row. In the table of an entity inside an aggregate, Spring Data JDBC names
 * a row by its back-reference and the list indexes and map keys on the way; for a set, or an entity held once by each
 * element of one, these are the same for several rows. There, a page ends after all rows sharing the columns of its
 * last row: the database finds where with one more query, so that its own idea of equal values (a case-insensitive
 * map key, say) is what decides, not Java's.
 */
final class DanglingRows {

	private final ReferenceColumn column;

	private final IdentifierProcessing identifiers;

	private final LimitClause limits;

	/** The columns naming a row, as SQL. */
	private final List<String> keyColumns = new ArrayList<>();

	/** The same, as the report names them. */
	private final List<String> keyNames = new ArrayList<>();

	/** Whether the key columns name one row each: the id of a root's table. */
	private final boolean unique;

	/** Whether the key is the id of the aggregate root, in one column. */
	private final boolean rootId;

	DanglingRows(ReferenceColumn column, Dialect dialect) {
		this.column = column;
		this.identifiers = dialect.getIdentifierProcessing();
		this.limits = dialect.limit();
		AggregatePath owner = column.tableOwner();
		AggregatePath.TableInfo table = owner.getTableInfo();
		if (owner.isRoot()) {
			table.idColumnInfos().forEach((path, info) -> addKeyColumn(info.name()));
			this.unique = true;
			this.rootId = this.keyColumns.size() == 1;
		}
		else {
			table.backReferenceColumnInfos().forEach((path, info) -> addKeyColumn(info.name()));
			AggregatePath holder = owner.getIdDefiningParentPath();
			this.rootId = holder.isRoot() && this.keyColumns.size() == 1;
			List<SqlIdentifier> qualifiers = new ArrayList<>();
			for (AggregatePath path = owner; !path.equals(holder); path = path.getParentPath()) {
				if (path.isQualified()) {
					qualifiers.add(path.getTableInfo().getRequiredQualifierColumnInfo().name());
				}
			}
			Collections.reverse(qualifiers);
			qualifiers.forEach(this::addKeyColumn);
			this.unique = false;
		}
		if (this.keyColumns.isEmpty()) {
			throw new IllegalStateException("The rows of " + table.qualifiedTableName() + " holding "
					+ column.path() + " have no columns naming them");
		}
	}

	private void addKeyColumn(SqlIdentifier name) {
		this.keyColumns.add(name.toSql(this.identifiers));
		this.keyNames.add(name.getReference());
	}

	ReferenceColumn column() {
		return this.column;
	}

	/** Calls {@code action} with each page of rows in turn. */
	void forEachPage(NamedParameterJdbcOperations jdbc, int pageSize, Consumer<List<Stored>> action) {
		List<Object> after = null;
		for (boolean more = true; more;) {
			Map<String, Object> parameters = new LinkedHashMap<>();
			String where = this.column.column().toSql(this.identifiers) + " IS NOT NULL";
			if (after != null) {
				where += " AND (" + compare(after, ">", false, "after", parameters) + ")";
			}
			if (this.unique) {
				List<Stored> page = jdbc.query(select(true, where) + " " + this.limits.getLimit(pageSize),
						parameters, this::stored);
				more = page.size() == pageSize;
				accept(page, action);
				after = more ? page.get(page.size() - 1).key() : null;
			}
			else {
				// The key of the page's last row, as the database orders them; the page ends after all rows sharing it.
				List<List<Object>> last = jdbc.query(
						select(false, where) + " " + this.limits.getLimitOffset(1, pageSize - 1L), parameters,
						(rs, row) -> key(rs));
				more = !last.isEmpty();
				if (more) {
					where += " AND (" + compare(last.get(0), "<", true, "upTo", parameters) + ")";
				}
				accept(jdbc.query(select(true, where), parameters, this::stored), action);
				after = more ? last.get(0) : null;
			}
		}
	}

	private static void accept(List<Stored> page, Consumer<List<Stored>> action) {
		if (!page.isEmpty()) {
			action.accept(page);
		}
	}

	private String select(boolean withValue, String where) {
		String keys = String.join(", ", this.keyColumns);
		return "SELECT " + keys + (withValue ? ", " + this.column.column().toSql(this.identifiers) : "") + " FROM "
				+ this.column.table().toSql(this.identifiers) + " WHERE " + where + " ORDER BY " + keys;
	}

	/**
	 * The key columns compared with {@code values} in their order, as {@code (a > :a0) OR (a = :a0 AND b > :a1)}:
	 * row value comparisons are not in every database.
	 */
	private String compare(List<Object> values, String operator, boolean orEqual, String name,
			Map<String, Object> parameters) {
		List<String> alternatives = new ArrayList<>();
		List<String> equal = new ArrayList<>();
		for (int i = 0; i < this.keyColumns.size(); i++) {
			String parameter = name + i;
			parameters.put(parameter, values.get(i));
			List<String> terms = new ArrayList<>(equal);
			terms.add(this.keyColumns.get(i) + " " + operator + " :" + parameter);
			alternatives.add(String.join(" AND ", terms));
			equal.add(this.keyColumns.get(i) + " = :" + parameter);
		}
		if (orEqual) {
			alternatives.add(String.join(" AND ", equal));
		}
		return "(" + String.join(") OR (", alternatives) + ")";
	}

	private Stored stored(ResultSet rs, int row) throws SQLException {
		return new Stored(key(rs), rs.getString(this.keyColumns.size() + 1));
	}

	private List<Object> key(ResultSet rs) throws SQLException {
		List<Object> key = new ArrayList<>(this.keyColumns.size());
		for (int i = 1; i <= this.keyColumns.size(); i++) {
			key.add(rs.getObject(i));
		}
		return key;
	}

	/** The id of the aggregate root holding {@code stored}, when its row has it in one column; else {@literal null}. */
	Object rootIdOf(Stored stored) {
		return this.rootId ? stored.key().get(0) : null;
	}

	/** The row of {@code stored}: its table and the columns naming it. */
	DanglingReference.Row rowOf(Stored stored) {
		Map<String, Object> key = new LinkedHashMap<>();
		for (int i = 0; i < this.keyNames.size(); i++) {
			key.put(this.keyNames.get(i), stored.key().get(i));
		}
		return new DanglingReference.Row(this.column.table().getReference(), key);
	}

	/**
	 * A reference as a row holds it.
	 *
	 * @param key the values of the columns naming the row
	 * @param value the reference
	 */
	record Stored(List<Object> key, String value) {
	}

}
