package io.mutationhooks.s3.sweep;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.mutationhooks.core.SafeText;

/**
 * One reference a row holds to an object of the bucket that is not there, or that S3 could not be asked about.
 *
 * @param entityType the aggregate root type whose aggregate holds the reference
 * @param rootId the id of that aggregate root, for a root with an id of one column and a row holding it (the root's
 * own row, or a row of an entity whose back-reference is to the root); {@literal null} otherwise, and then
 * {@code row} says which row it is
 * @param row the table and the columns that name the row in it
 * @param path the property names from the root to the field, dot-separated, such as {@code photos.objectKey}
 * @param reference the value the row holds
 * @param key the key the value names, {@literal null} for an {@link Status#INVALID} reference
 * @param status what is wrong
 * @param reason why S3 could not be asked, or what is wrong with an invalid reference; {@literal null} for a
 * missing object
 * @param earlierVersion whether the bucket keeps an earlier version of a missing object
 */
public record DanglingReference(Class<?> entityType, Object rootId, Row row, String path, String reference,
		String key, Status status, String reason, EarlierVersion earlierVersion) {

	public DanglingReference {
		Objects.requireNonNull(entityType, "entityType must not be null");
		Objects.requireNonNull(row, "row must not be null");
		Objects.requireNonNull(status, "status must not be null");
		Objects.requireNonNull(earlierVersion, "earlierVersion must not be null");
	}

	/** This reference, with what the bucket's versions say of it. */
	public DanglingReference withEarlierVersion(EarlierVersion earlierVersion) {
		return new DanglingReference(this.entityType, this.rootId, this.row, this.path, this.reference, this.key,
				this.status, this.reason, earlierVersion);
	}

	/** {@code Album 7 photos.objectKey = 's3://avatars/a.png': MISSING, restorable from version 3}. */
	@Override
	public String toString() {
		return this.entityType.getSimpleName() + " " + (this.rootId != null ? this.rootId : this.row) + " " + this.path
				+ " = '" + SafeText.quote(this.reference) + "': " + this.status
				+ (this.reason != null ? " (" + SafeText.message(this.reason) + ")" : "")
				+ (this.status == Status.MISSING ? ", " + this.earlierVersion : "");
	}

	/** What is wrong with a reference. */
	public enum Status {

		/** S3 answered that the bucket has no such object. */
		MISSING,

		/** The value names no object of the bucket: another bucket, a key outside its prefix, or no key at all. */
		INVALID,

		/** S3 could not be asked or did not answer (an error, a timeout): the object may well be there. */
		UNKNOWN

	}

	/**
	 * A row of a table.
	 *
	 * @param table the table's name
	 * @param key the columns that tell the row apart in Spring Data JDBC's mapping, and their values: the root's id
	 * columns in a root's table; in the table of an entity inside an aggregate, the back-reference to the entity
	 * holding it and the list indexes and map keys on the way
	 */
	public record Row(String table, Map<String, Object> key) {

		public Row {
			Objects.requireNonNull(table, "table must not be null");
			key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
		}

		@Override
		public String toString() {
			return this.table + this.key;
		}

	}

	/**
	 * Whether a missing object has an earlier version in the bucket that could be restored.
	 *
	 * @param availability the answer
	 * @param versionId the newest version that is not a delete marker, for {@link Availability#RESTORABLE}
	 * @param lastModified when that version was written
	 * @param reason why the versions were not looked at or could not be read
	 */
	public record EarlierVersion(Availability availability, String versionId, Instant lastModified, String reason) {

		public EarlierVersion {
			Objects.requireNonNull(availability, "availability must not be null");
		}

		/** The bucket keeps no versions, or the reference is not one of a missing object. */
		public static EarlierVersion notLookedFor(String reason) {
			return new EarlierVersion(Availability.NOT_LOOKED_FOR, null, null, reason);
		}

		/** The bucket holds no version of the key but delete markers, if that. */
		public static EarlierVersion none() {
			return new EarlierVersion(Availability.NONE, null, null, null);
		}

		/** The version {@code versionId}, written at {@code lastModified}, could be restored. */
		public static EarlierVersion restorable(String versionId, Instant lastModified) {
			return new EarlierVersion(Availability.RESTORABLE, versionId, lastModified, null);
		}

		/** The versions could not be listed. */
		public static EarlierVersion unknown(String reason) {
			return new EarlierVersion(Availability.UNKNOWN, null, null, reason);
		}

		@Override
		public String toString() {
			return switch (this.availability) {
				case RESTORABLE -> "restorable from version " + this.versionId + " of " + this.lastModified;
				case NONE -> "no earlier version";
				case NOT_LOOKED_FOR -> "earlier versions not looked for (" + this.reason + ")";
				case UNKNOWN -> "earlier versions unknown (" + SafeText.message(this.reason) + ")";
			};
		}

	}

	/** What the bucket's versions say of a missing object. */
	public enum Availability {

		/** Not looked for: the bucket keeps no versions, or the reference is not one of a missing object. */
		NOT_LOOKED_FOR,

		/** Only a delete marker, or nothing at all, is left of the key. */
		NONE,

		/** The newest entry of the key is a delete marker, and an earlier version is there to restore. */
		RESTORABLE,

		/** The versions could not be listed. */
		UNKNOWN

	}

}
