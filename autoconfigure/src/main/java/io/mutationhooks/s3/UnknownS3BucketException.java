package io.mutationhooks.s3;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An {@link S3Reference} naming a bucket that is not configured under {@code mutation-hooks.s3.buckets}.
 */
public class UnknownS3BucketException extends IllegalStateException {

	private final Class<?> entityType;

	private final String field;

	private final String bucket;

	private final Set<String> configuredBuckets;

	/**
	 * @param entityType the entity type whose field names the bucket
	 * @param field the field
	 * @param bucket the bucket's name in configuration that the field names
	 * @param configuredBuckets the names of the buckets that are configured
	 */
	public UnknownS3BucketException(Class<?> entityType, String field, String bucket, Set<String> configuredBuckets) {
		super("S3 reference " + entityType.getName() + "." + field + " names bucket '" + bucket
				+ "', which is not configured; configured buckets (mutation-hooks.s3.buckets.*): " + configuredBuckets);
		this.entityType = entityType;
		this.field = field;
		this.bucket = bucket;
		this.configuredBuckets = Collections.unmodifiableSet(new LinkedHashSet<>(configuredBuckets));
	}

	/** The entity type whose field names the bucket. */
	public Class<?> entityType() {
		return this.entityType;
	}

	/** The field naming the bucket. */
	public String field() {
		return this.field;
	}

	/** The bucket's name in configuration that the field names. */
	public String bucket() {
		return this.bucket;
	}

	/** The names of the buckets that are configured. */
	public Set<String> configuredBuckets() {
		return this.configuredBuckets;
	}

}
