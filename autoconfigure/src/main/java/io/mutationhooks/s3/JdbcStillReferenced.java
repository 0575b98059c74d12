package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

import io.mutationhooks.s3.ReferenceColumns.ReferenceColumn;

/**
 * {@link StillReferenced} by querying every table with a field bound to the bucket (the tables of aggregate roots,
 * of the entities inside them, and the columns of their embedded values), in chunks, for the keys in both
 * forms a field may hold them: {@code key} and {@code s3://bucket/key}. A stored value counts for exactly the keys
 * {@link ObjectKeys#keyOf} reads in it: {@code s3://bucket/k} names key {@code k}, never the key
 * {@code s3://bucket/k}, which only {@code s3://bucket/s3://bucket/k} names.
 */
public final class JdbcStillReferenced implements StillReferenced {

	/**
	 * A key is asked for in both its forms: 1000 keys, a DeleteObjects request or a page of the orphan sweep, make
	 * one query per column.
	 */
	private static final int VALUES_PER_QUERY = 2 * ObjectDeletion.MAX_KEYS_PER_REQUEST;

	private final ReferenceColumns columns;

	private final NamedParameterJdbcOperations jdbc;

	private final IdentifierProcessing identifiers;

	public JdbcStillReferenced(S3References references, NamedParameterJdbcOperations jdbc,
			RelationalMappingContext mappingContext, Dialect dialect) {
		this.columns = new ReferenceColumns(references, mappingContext);
		this.jdbc = jdbc;
		this.identifiers = dialect.getIdentifierProcessing();
	}

	@Override
	public Set<String> among(S3Bucket bucket, Collection<String> keys) {
		Map<String, Set<String>> keysByValue = new LinkedHashMap<>();
		for (String key : keys) {
			for (String value : valuesNaming(key, bucket)) {
				keysByValue.computeIfAbsent(value, named -> new LinkedHashSet<>()).add(key);
			}
		}
		List<String> values = new ArrayList<>(keysByValue.keySet());
		Set<String> referenced = new HashSet<>();
		for (ReferenceColumn column : this.columns.referencing(bucket)) {
			String sql = selectSql(column);
			for (int from = 0; from < values.size(); from += VALUES_PER_QUERY) {
				List<String> chunk = values.subList(from, Math.min(from + VALUES_PER_QUERY, values.size()));
				this.jdbc.queryForList(sql, Map.of("values", chunk), String.class)
					.forEach(value -> addKeysNamedBy(value, keysByValue, referenced));
			}
		}
		return referenced;
	}

	/**
	 * Adds the keys {@code value}, as the database returned it, names. A database may match more than asked (case or
	 * trailing spaces ignored), so values count as they are; and also without the spaces a fixed-length
	 * {@code CHAR(n)} column pads them with (PostgreSQL returns them padded): keeping an object no row names is a
	 * leak the sweep repairs, deleting one a row names would be a loss.
	 */
	private static void addKeysNamedBy(String value, Map<String, Set<String>> keysByValue, Set<String> referenced) {
		referenced.addAll(keysByValue.getOrDefault(value, Set.of()));
		int end = value.length();
		while (end > 0 && value.charAt(end - 1) == ' ') {
			end--;
		}
		if (end < value.length()) {
			referenced.addAll(keysByValue.getOrDefault(value.substring(0, end), Set.of()));
		}
	}

	/** A key written as it is would be read as an S3 URI if it starts with {@code s3://}: only its URI names it. */
	private static List<String> valuesNaming(String key, S3Bucket bucket) {
		String uri = "s3://" + bucket.name() + "/" + key;
		return key.startsWith("s3://") ? List.of(uri) : List.of(key, uri);
	}

	/** Selects the values of {@code column} among {@code :values}. */
	private String selectSql(ReferenceColumn column) {
		String name = column.column().toSql(this.identifiers);
		return "SELECT " + name + " FROM " + column.table().toSql(this.identifiers) + " WHERE " + name
				+ " IN (:values)";
	}

}
