package io.mutationhooks.s3;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.DeletionClaims.Claim;

/**
 * One round of the cleanup's side of the claim protocol: claims keys, deletes those the claim allows if the claim
 * still holds right before the delete ({@link DeletionClaims#holds}), and reports what S3 may have deleted. A step
 * between the claim and the delete (the quarantine's copies) gets {@link DeletionClaims#preparationTime()}: what it
 * has not done by then is left for the next try, rather than deleted under a claim that may have been purged. A report that fails does not undo the delete: the keys are done, and their claim keeps
 * refusing writes of them until its tombstones are purged (twice the lease timeout), which is safe, rather than the
 * keys being deleted a second time.
 */
final class ClaimedDeletion {

	private static final Logger logger = LoggerFactory.getLogger(ClaimedDeletion.class);

	private final DeletionClaims claims;

	private final ObjectDeletion deletion;

	ClaimedDeletion(DeletionClaims claims, ObjectDeletion deletion) {
		this.claims = Objects.requireNonNull(claims, "claims must not be null");
		this.deletion = Objects.requireNonNull(deletion, "deletion must not be null");
	}

	/**
	 * What one round did.
	 * @param claim what the claim allowed: its postponed keys are to be retried, its still referenced ones forgotten
	 * @param failed the deletable keys that failed, with why; every other deletable key is deleted
	 */
	record Outcome(Claim claim, Map<String, ObjectDeletion.Failure> failed) {
	}

	/**
	 * A step between the claim and the delete, given the keys the claim allows: the keys it fails are left in place
	 * and released from the claim (the quarantine copies objects here, so that a key a row refers to again is not
	 * moved).
	 */
	@FunctionalInterface
	interface BeforeDelete {

		/**
		 * @param deletable the keys the claim allows
		 * @param timeLeft whether the claim leaves time to start on one more key; a key not started in time is to be
		 * failed (answered, not permanent), so that it is claimed again on the next try
		 * @return the keys of {@code deletable} not to delete, with why; they count as answered, not deleted
		 */
		Map<String, ObjectDeletion.Failure> prepare(List<String> deletable, BooleanSupplier timeLeft);

	}

	/**
	 * Claims {@code keys} of {@code bucket}, deletes the deletable ones and reports them.
	 * @throws RuntimeException if the claim fails (nothing was deleted), or if the delete fails in a way
	 * {@link ObjectDeletion} does not answer for (every deletable key counts as maybe deleted)
	 */
	Outcome delete(S3Bucket bucket, List<String> keys) {
		return delete(bucket, keys, (deletable, timeLeft) -> Map.of());
	}

	/**
	 * Claims {@code keys} of {@code bucket}, runs {@code beforeDelete} on the deletable ones, deletes those it did not
	 * fail and reports them.
	 * @throws RuntimeException as {@link #delete(S3Bucket, List)}, or if {@code beforeDelete} throws (every deletable
	 * key then counts as maybe deleted, and stays claimed until the claim is purged)
	 */
	Outcome delete(S3Bucket bucket, List<String> keys, BeforeDelete beforeDelete) {
		long claimedFrom = System.nanoTime();
		long preparationNanos = this.claims.preparationTime().toNanos();
		Claim claim = this.claims.claimForDeletion(bucket, keys);
		if (!claim.stillReferenced().isEmpty() && logger.isDebugEnabled()) {
			logger.debug("Keeping {} key(s) of bucket {} that rows refer to again", claim.stillReferenced().size(),
					SafeText.quote(bucket.name()));
		}
		if (claim.deletable().isEmpty()) {
			return new Outcome(claim, Map.of());
		}
		Map<String, ObjectDeletion.Failure> failed = new LinkedHashMap<>();
		try {
			failed.putAll(beforeDelete.prepare(claim.deletable(),
					() -> System.nanoTime() - claimedFrom < preparationNanos));
			List<String> prepared = claim.deletable().stream().filter(key -> !failed.containsKey(key)).toList();
			if (!prepared.isEmpty()) {
				if (this.claims.holds(claim)) {
					failed.putAll(this.deletion.delete(bucket, prepared));
				}
				else {
					// A claim purged, or about to be, no longer refuses writes of its keys: one may have checked an
					// object this delete would remove.
					logger.warn("Not deleting {} key(s) of bucket {}: their claim {} is gone or too old (half of "
							+ "mutation-hooks.s3.verify.lease-timeout) by the time of the delete; they are claimed "
							+ "again on the next try", prepared.size(), SafeText.quote(bucket.name()), claim.id());
					ObjectDeletion.Failure ranOut = new ObjectDeletion.Failure("its claim ran out before the delete "
							+ "(the steps before it took too long); claimed again on the next try", false, true);
					prepared.forEach(key -> failed.put(key, ranOut));
				}
			}
		}
		catch (RuntimeException | Error ex) {
			// Until told, the claim keeps refusing writes of these keys: tell it even when the delete failed.
			report(claim, claim.deletable());
			throw ex;
		}
		Set<String> answeredNotDeleted = new HashSet<>();
		failed.forEach((key, failure) -> {
			if (failure.answered()) {
				answeredNotDeleted.add(key);
			}
		});
		report(claim, claim.deletable().stream().filter(key -> !answeredNotDeleted.contains(key)).toList());
		return new Outcome(claim, failed);
	}

	private void report(Claim claim, List<String> deleted) {
		try {
			this.claims.deleted(claim, deleted);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the delete of {} key(s) of bucket {} (claim {}): they are not deleted again, "
					+ "and writes that refer to them are refused until the claim expires (twice "
					+ "mutation-hooks.s3.verify.lease-timeout)", deleted.size(), SafeText.quote(claim.bucket().name()),
					claim.id(), ex);
		}
	}

}
