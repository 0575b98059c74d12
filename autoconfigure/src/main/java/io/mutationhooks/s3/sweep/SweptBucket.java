package io.mutationhooks.s3.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 * @param unleasedWriters the bindings, this one included, whose writes can refer to objects under this bucket's
 * prefix without leasing them ({@link S3Bucket#leasesWrites()}): while there is one, a sweep may only count orphans,
 * since it could take an object such a write is about to refer to
 */
public record SweptBucket(S3Bucket bucket, SweepMode mode, Duration gracePeriod, String quarantinePrefix,
		int reportsKept, List<S3Bucket> unleasedWriters) {

	/**
	 * A bucket swept with no other binding of its real bucket: its own writes are the only ones to consider.
	 */
	public SweptBucket(S3Bucket bucket, SweepMode mode, Duration gracePeriod, String quarantinePrefix,
			int reportsKept) {
		this(bucket, mode, gracePeriod, quarantinePrefix, reportsKept,
				unleasedWriters(bucket, quarantinePrefix, List.of(bucket)));
	}

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
		unleasedWriters = List.copyOf(unleasedWriters);
	}

	/**
	 * The bindings among {@code bindings} whose writes can refer to objects a sweep of {@code swept} may take without
	 * leasing them: those of the same real bucket with an overlapping prefix that do not verify, or whose checked
	 * writes do not lease ({@link S3Bucket#cleanedUpAmong}), but for those that only write under the quarantine
	 * prefix, where nothing is swept. The swept binding itself must verify and clean up: the removals of its sweep
	 * are not done where its cleanup is off. The swept binding comes first.
	 */
	public static List<S3Bucket> unleasedWriters(S3Bucket swept, String quarantinePrefix,
			Collection<S3Bucket> bindings) {
		List<S3Bucket> unleased = new ArrayList<>();
		if (!swept.leasesWrites()) {
			unleased.add(swept);
		}
		bindings.stream()
			.filter(binding -> !binding.id().equals(swept.id()) && binding.overlaps(swept)
					&& !(binding.verifyOnWrite() && binding.cleanedUpAmong(bindings))
					&& !(quarantinePrefix != null && !quarantinePrefix.isEmpty()
							&& binding.prefix().startsWith(quarantinePrefix)))
			.forEach(unleased::add);
		return unleased;
	}

	/**
	 * Whether a sweep may delete or quarantine orphans: every write through the hooks that can refer to them leases
	 * them first (writes that bypass the hooks, {@code @Modifying @Query} or plain SQL, lease nothing).
	 */
	public boolean removable() {
		return this.unleasedWriters.isEmpty();
	}

	/** The bucket's name in configuration. */
	public String id() {
		return this.bucket.id();
	}

}
