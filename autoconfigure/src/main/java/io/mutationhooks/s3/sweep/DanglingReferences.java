package io.mutationhooks.s3.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.ObjectExistence;
import io.mutationhooks.s3.ObjectExistence.Outcome;
import io.mutationhooks.s3.ObjectKeys;
import io.mutationhooks.s3.ReferenceColumns;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3Bucket.S3Object;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.sweep.DanglingReference.EarlierVersion;
import io.mutationhooks.s3.sweep.DanglingReference.Status;
import io.mutationhooks.s3.sweep.DanglingRows.Stored;

/**
 * Finds the rows whose referenced object is missing from its bucket, and reports them without fixing anything.
 * <ul>
 * <li>Every mapped column bound to the bucket (its name in configuration: not the columns of another binding of the
 * same real bucket, which have their own prefix and report) is read page by page (the tables of aggregate roots and of the entities
 * inside them, both reference forms: a key and {@code s3://bucket/key}); memory holds a page, whatever the size of the
 * tables. {@literal null} references are not references.</li>
 * <li>The keys of a page are checked with HeadObject, each once per page, as many at once as the
 * {@link ObjectExistence} allows: a request per distinct key, and one more (HeadBucket) per missing one, since a 404
 * alone does not tell a missing object from a missing bucket.</li>
 * <li>A reference S3 could not be asked about (an error, a timeout) is counted as unknown, never as dangling.</li>
 * <li>In a bucket that keeps versions, each reported missing object is looked up in them (ListObjectVersions): whether
 * an earlier version could be restored.</li>
 * </ul>
 * The report is not a snapshot: rows and objects written while it runs may or may not be seen.
 */
public final class DanglingReferences {

	private static final Logger logger = LoggerFactory.getLogger(DanglingReferences.class);

	/** How many of the listed references the log shows. */
	private static final int LOGGED = 10;

	/** How many rows of a table are read at once, unless told otherwise. */
	public static final int DEFAULT_PAGE_SIZE = 1000;

	/** How many dangling references, and as many unknown ones, a report lists, unless told otherwise. */
	public static final int DEFAULT_LISTED = 100;

	private final S3References references;

	private final ReferenceColumns columns;

	private final NamedParameterJdbcOperations jdbc;

	private final Dialect dialect;

	private final ObjectExistence existence;

	private final DanglingVersions versions;

	private final int pageSize;

	private final int listed;

	private SweepListener listener = SweepListener.NONE;

	/**
	 * With pages of {@value #DEFAULT_PAGE_SIZE} rows and {@value #DEFAULT_LISTED} references listed of each kind.
	 * @see #DanglingReferences(S3References, NamedParameterJdbcOperations, RelationalMappingContext, Dialect,
	 * ObjectExistence, S3Client, int, int)
	 */
	public DanglingReferences(S3References references, NamedParameterJdbcOperations jdbc,
			RelationalMappingContext mappingContext, Dialect dialect, ObjectExistence existence, S3Client s3) {
		this(references, jdbc, mappingContext, dialect, existence, s3, DEFAULT_PAGE_SIZE, DEFAULT_LISTED);
	}

	/**
	 * @param references the buckets and the fields referring to them
	 * @param jdbc reads the rows
	 * @param mappingContext where the fields are stored
	 * @param dialect the database's SQL, for identifiers and limits
	 * @param existence checks the objects, with its parallelism and time limits
	 * @param s3 lists versions
	 * @param pageSize how many rows of a table are read at once, at least 1; a page grows by the rows of one aggregate
	 * where several rows of a set share the columns naming them
	 * @param listed how many dangling references a report lists, and how many unknown ones, at least 0
	 */
	public DanglingReferences(S3References references, NamedParameterJdbcOperations jdbc,
			RelationalMappingContext mappingContext, Dialect dialect, ObjectExistence existence, S3Client s3,
			int pageSize, int listed) {
		if (pageSize < 1) {
			throw new IllegalArgumentException("pageSize must be at least 1, not " + pageSize);
		}
		if (listed < 0) {
			throw new IllegalArgumentException("listed must be at least 0, not " + listed);
		}
		this.references = Objects.requireNonNull(references, "references must not be null");
		this.columns = new ReferenceColumns(references, Objects.requireNonNull(mappingContext,
				"mappingContext must not be null"));
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc must not be null");
		this.dialect = Objects.requireNonNull(dialect, "dialect must not be null");
		this.existence = Objects.requireNonNull(existence, "existence must not be null");
		this.versions = new DanglingVersions(Objects.requireNonNull(s3, "s3 must not be null"));
		this.pageSize = pageSize;
		this.listed = listed;
	}

	/**
	 * Tells {@code listener} of every report, from now on.
	 * @param listener the listener; {@link SweepListener#NONE}, the default, listens to nothing
	 */
	public void setListener(SweepListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
	}

	/** A report for every configured bucket, in the order of configuration. */
	public List<DanglingReport> reportAll() {
		return this.references.buckets().values().stream().map(this::report).toList();
	}

	/**
	 * Reads every reference to the bucket configured as {@code bucket} and checks the objects they name.
	 * @param bucket the bucket's name in the configuration ({@code mutation-hooks.s3.buckets.<name>})
	 * @return what was found; nothing is changed
	 * @throws IllegalArgumentException if no bucket of that name is configured
	 */
	public DanglingReport report(String bucket) {
		S3Bucket configured = this.references.buckets().get(bucket);
		if (configured == null) {
			throw new IllegalArgumentException("no bucket '" + SafeText.quote(bucket) + "' is configured; the buckets "
					+ "are " + this.references.buckets().keySet());
		}
		return report(configured);
	}

	/**
	 * Reads every reference to {@code bucket} and checks the objects they name.
	 * @param bucket one of the configured buckets
	 * @return what was found; nothing is changed
	 * @throws org.springframework.dao.DataAccessException if the database cannot be read
	 */
	public DanglingReport report(S3Bucket bucket) {
		Tally tally = new Tally();
		// The columns of this binding alone: another binding of the same real bucket has its own prefix, and its
		// own report.
		for (ReferenceColumns.ReferenceColumn column : this.columns.boundTo(bucket)) {
			DanglingRows rows = new DanglingRows(column, this.dialect);
			rows.forEachPage(this.jdbc, this.pageSize, page -> check(bucket, rows, page, tally));
		}
		List<DanglingReference> dangling = lookForEarlierVersions(bucket, tally);
		DanglingReport report = new DanglingReport(bucket.id(), bucket.name(), tally.checked, tally.dangling,
				tally.unknown, dangling, tally.firstUnknown);
		log(report);
		try {
			this.listener.reported(report);
		}
		catch (RuntimeException ex) {
			logger.warn("A sweep listener failed on the dangling references report of bucket {}", bucket.name(), ex);
		}
		return report;
	}

	/** A clean report at INFO; one with dangling or unknown references at WARN, with the first of them. */
	private static void log(DanglingReport report) {
		if (report.clean()) {
			logger.info("Dangling references: {}", report);
			return;
		}
		StringBuilder first = new StringBuilder();
		report.firstDangling().stream().limit(LOGGED).forEach(reference -> first.append("\n  ").append(reference));
		report.firstUnknown().stream().limit(LOGGED).forEach(reference -> first.append("\n  ").append(reference));
		logger.warn("Dangling references: {}; nothing was changed. The first of them:{}", report, first);
	}

	private void check(S3Bucket bucket, DanglingRows rows, List<Stored> page, Tally tally) {
		// A key, or why the value names none; two rows holding the same value are two references.
		List<Object> keys = new ArrayList<>(page.size());
		Set<S3Object> objects = new LinkedHashSet<>();
		for (Stored stored : page) {
			try {
				String key = ObjectKeys.keyOf(stored.value(), bucket);
				keys.add(key);
				objects.add(bucket.object(key));
			}
			catch (IllegalArgumentException ex) {
				keys.add(ex);
			}
		}
		Map<S3Object, Outcome> outcomes = this.existence.checkAll(objects);
		for (int i = 0; i < page.size(); i++) {
			Stored stored = page.get(i);
			tally.checked++;
			if (keys.get(i) instanceof IllegalArgumentException invalid) {
				tally.dangling(reference(rows, stored, null, Status.INVALID, invalid.getMessage()), this.listed);
				continue;
			}
			String key = (String) keys.get(i);
			Outcome outcome = outcomes.get(bucket.object(key));
			switch (outcome.status()) {
				case EXISTS -> {
				}
				case MISSING -> tally.dangling(reference(rows, stored, key, Status.MISSING, null), this.listed);
				case UNKNOWN -> tally.unknown(
						reference(rows, stored, key, Status.UNKNOWN, String.valueOf(outcome.failure().getMessage())),
						this.listed);
			}
		}
	}

	private static DanglingReference reference(DanglingRows rows, Stored stored, String key, Status status,
			String reason) {
		String notLookedFor = switch (status) {
			case MISSING -> "the bucket keeps no versions";
			case INVALID -> "the reference names no object of the bucket";
			case UNKNOWN -> "S3 could not say whether the object is there";
		};
		return new DanglingReference(rows.column().path().rootType(), rows.rootIdOf(stored), rows.rowOf(stored),
				rows.column().path().path(), stored.value(), key, status, reason,
				EarlierVersion.notLookedFor(notLookedFor));
	}

	/**
	 * The listed dangling references, each missing object with what the bucket's versions say of it, if it keeps
	 * them; one found there after all (written again since it was checked) is taken off the list and the count. Only
	 * the listed references (the first {@code listed}) and only in a bucket that keeps versions are looked at again:
	 * a missing object written again after its check is still counted among the dangling ones past the list, or in a
	 * bucket without versions.
	 */
	private List<DanglingReference> lookForEarlierVersions(S3Bucket bucket, Tally tally) {
		Set<String> missing = new LinkedHashSet<>();
		tally.firstDangling.stream()
			.filter(reference -> reference.status() == Status.MISSING)
			.forEach(reference -> missing.add(reference.key()));
		if (missing.isEmpty()) {
			return tally.firstDangling;
		}
		Map<String, DanglingVersions.Verdict> verdicts = new LinkedHashMap<>();
		try {
			if (!this.versions.kept(bucket.name())) {
				return tally.firstDangling;
			}
			missing.forEach(key -> verdicts.put(key, this.versions.of(bucket.name(), key)));
		}
		catch (SdkException ex) {
			missing.forEach(key -> verdicts.put(key,
					new DanglingVersions.Verdict(false, EarlierVersion.unknown("versioning of the bucket could not be "
							+ "read: " + ex.getMessage()))));
		}
		List<DanglingReference> listed = new ArrayList<>();
		for (DanglingReference reference : tally.firstDangling) {
			DanglingVersions.Verdict verdict = reference.status() == Status.MISSING ? verdicts.get(reference.key())
					: null;
			if (verdict == null) {
				listed.add(reference);
			}
			else if (verdict.present()) {
				tally.dangling--;
			}
			else {
				listed.add(reference.withEarlierVersion(verdict.earlierVersion()));
			}
		}
		return listed;
	}

	/** What a report has found so far. */
	private static final class Tally {

		long checked;

		long dangling;

		long unknown;

		final List<DanglingReference> firstDangling = new ArrayList<>();

		final List<DanglingReference> firstUnknown = new ArrayList<>();

		void dangling(DanglingReference reference, int listed) {
			this.dangling++;
			if (this.firstDangling.size() < listed) {
				this.firstDangling.add(reference);
			}
		}

		void unknown(DanglingReference reference, int listed) {
			this.unknown++;
			if (this.firstUnknown.size() < listed) {
				this.firstUnknown.add(reference);
			}
		}

	}

}
