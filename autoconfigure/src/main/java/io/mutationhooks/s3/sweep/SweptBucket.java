package io.mutationhooks.s3.sweep;

import java.time.Duration;
import java.util.Objects;

import io.mutationhooks.s3.S3Bucket;

/**
 * A bucket the orphan sweeper may sweep, with its settings ({@code mutation-hooks.s3.buckets.<name>.sweep.*}).
 *
 * @param bucket the bucket, whose prefix bounds what is listed
 * @param mode what a sweep does with orphans unless told otherwise
 * @param gracePeriod how old an object must be, from its last modification, before it can be an orphan: an upload
 * not referenced yet is younger
 * @param quarantinePrefix where quarantined objects go in the bucket (the prefix followed by the key); keys under it
 * are never swept
 * @param reportsKept how many reports of the last runs are kept
 */
public record SweptBucket(S3Bucket bucket, SweepMode mode, Duration gracePeriod, String quarantinePrefix,
		int reportsKept) {

	public SweptBucket {
		Objects.requireNonNull(bucket, "bucket must not be null");
		Objects.requireNonNull(mode, "mode must not be null");
		if (gracePeriod == null || gracePeriod.isNegative()) {
			throw new IllegalArgumentException("gracePeriod must not be negative, not " + gracePeriod);
		}
		if (quarantinePrefix == null || quarantinePrefix.isEmpty() || !quarantinePrefix.endsWith("/")) {
			throw new IllegalArgumentException("quarantinePrefix must end with '/', not " + quarantinePrefix);
		}
		if (reportsKept < 1) {
			throw new IllegalArgumentException("reportsKept must be at least 1, not " + reportsKept);
		}
	}

	/** The bucket's name in configuration. */
	public String id() {
		return this.bucket.id();
	}

}
