package io.mutationhooks.s3;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.relational.core.mapping.AggregatePath;
import org.springframework.data.relational.core.mapping.AggregatePathTraversal;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.data.relational.core.sql.SqlIdentifier;

/**
 * Where the references to a bucket are stored, as Spring Data JDBC maps them: for every field referring to the
 * bucket (every binding of its real bucket, or one binding alone), the column and the table holding it (the table of an aggregate root or of an entity inside one; the columns of an
 * embedded value are in the table of the entity embedding it).
 */
public final class ReferenceColumns {

	private final S3References references;

	private final RelationalMappingContext mappingContext;

	public ReferenceColumns(S3References references, RelationalMappingContext mappingContext) {
		this.references = references;
		this.mappingContext = mappingContext;
	}

	/**
	 * Every column holding references to {@code bucket}'s real bucket, whichever binding declares them, each once:
	 * one child type may be held by several aggregates, and then its table and column are named by the path of the
	 * first. What keeps an object: a row of any binding of the bucket refers to it.
	 */
	public List<ReferenceColumn> referencing(S3Bucket bucket) {
		// Entity types can join the mapping context late (with their repository): look at all of them every time.
		this.references.resolveAll(this.mappingContext);
		return columns(this.references.pathsReferencing(bucket));
	}

	/**
	 * Every column holding references bound to {@code bucket} itself (its name in configuration), each once: not
	 * those of another binding of the same real bucket, whose prefix may differ. What a report of the binding reads.
	 */
	public List<ReferenceColumn> boundTo(S3Bucket bucket) {
		this.references.resolveAll(this.mappingContext);
		return columns(this.references.pathsBoundTo(bucket));
	}

	private List<ReferenceColumn> columns(List<ReferencePath> paths) {
		Map<List<SqlIdentifier>, ReferenceColumn> columns = new LinkedHashMap<>();
		for (ReferencePath path : paths) {
			AggregatePath column = this.mappingContext
				.getAggregatePath(this.mappingContext.getPersistentPropertyPath(path.path(), path.rootType()));
			ReferenceColumn found = new ReferenceColumn(path, column);
			columns.putIfAbsent(List.of(found.table(), found.column()), found);
		}
		return List.copyOf(columns.values());
	}

	/**
	 * One column holding references.
	 *
	 * @param path the reference path from the aggregate root
	 * @param aggregatePath the same path as Spring Data JDBC walks it, ending in the column
	 */
	public record ReferenceColumn(ReferencePath path, AggregatePath aggregatePath) {

		/** The qualified name of the table holding the column. */
		public SqlIdentifier table() {
			return this.aggregatePath.getTableInfo().qualifiedTableName();
		}

		/** The column's name. */
		public SqlIdentifier column() {
			return this.aggregatePath.getColumnInfo().name();
		}

		/** The entity whose table holds the column: the aggregate root, or an entity inside the aggregate. */
		public AggregatePath tableOwner() {
			return AggregatePathTraversal.getTableOwningPath(this.aggregatePath);
		}

	}

}
