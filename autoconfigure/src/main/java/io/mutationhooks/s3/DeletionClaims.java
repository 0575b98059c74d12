package io.mutationhooks.s3;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The cleanup's side of the protocol that keeps an object from being deleted while a write that is about to refer to
 * it checks that it exists (see {@code docs/design.md}, "S3: the shared-key race"). A cleanup claims the keys of one
 * bucket right before it deletes them, deletes only those the claim says are deletable, and then reports what it
 * deleted:
 * <pre>
 * Claim claim = claims.claimForDeletion(bucket, keys);
 * delete claim.deletable() from S3, right away;
 * (a quarantine copies here, for at most preparationTime() from the claim)
 * if (claims.holds(claim)) delete claim.deletable() from S3, right away; otherwise delete nothing
 * claims.deleted(claim, the keys of claim.deletable() the delete may have removed);
 * retry claim.postponed() later; forget claim.stillReferenced()
 * </pre>
 * Guarantees, for writes that check their references ({@code verify-on-write}): a write that checked a key the claim
 * did not postpone is refused at commit, so no committed row refers to an object deleted this way; a key a committed
 * row refers to is never deletable.
 */
public interface DeletionClaims {

	/**
	 * Claims {@code keys} of {@code bucket} for deletion, in transactions of its own that commit before it returns (so
	 * call it outside any transaction that must not see them, and not while holding locks writers wait for).
	 * @param bucket the bucket, must not be {@literal null}
	 * @param keys the keys to delete, must not be {@literal null}; duplicates count once
	 * @return which keys may be deleted now, which to retry later and which to forget
	 */
	Claim claimForDeletion(S3Bucket bucket, Collection<String> keys);

	/**
	 * Reports the outcome of the delete of a claim's deletable keys. Must be called once for every claim whose
	 * deletable keys are not empty, even if the delete failed: until then writes of those keys are refused.
	 * @param claim the claim, must not be {@literal null}
	 * @param deletedKeys those of {@code claim.deletable()} that the delete removed, or may have removed (a request
	 * that failed without an answer counts); a key S3 answered it did not delete is left out. Writes that checked
	 * these keys before now are refused at commit for a while; other keys of the claim are released at once.
	 */
	void deleted(Claim claim, Collection<String> deletedKeys);

	/**
	 * Whether {@code claim} still protects its deletable keys, asked right before they are deleted: its row is there,
	 * unmarked, and younger than half the lease timeout by the database's clock, so that a delete sent now lands long
	 * before the claim can be purged (twice the lease timeout after it was made) and a write leasing a key after the
	 * purge cannot have checked the object before the delete. A cleanup told {@literal false} deletes nothing, reports
	 * none of the keys deleted and claims them again on its next try.
	 * @param claim the claim, must not be {@literal null}
	 */
	boolean holds(Claim claim);

	/**
	 * How long a cleanup may work between {@link #claimForDeletion} and its delete (the quarantine's copies), counted
	 * from the call of {@link #claimForDeletion}: a quarter of the lease timeout. What it has not done by then it
	 * leaves for a later claim, so that {@link #holds} still finds the claim young enough once the last step has ended.
	 */
	Duration preparationTime();

	/**
	 * What a claim allows.
	 *
	 * @param id identifies the claim in the database
	 * @param bucket the bucket
	 * @param deletable the keys to delete now: no write is checking them and no committed row refers to them
	 * @param postponed the keys a write is checking right now: retry them later, when the write has committed (and
	 * then refers to them) or rolled back
	 * @param stillReferenced the keys a committed row refers to: never delete them
	 */
	record Claim(String id, S3Bucket bucket, List<String> deletable, List<String> postponed,
			List<String> stillReferenced) {

		public Claim {
			Objects.requireNonNull(id, "id must not be null");
			Objects.requireNonNull(bucket, "bucket must not be null");
			deletable = List.copyOf(deletable);
			postponed = List.copyOf(postponed);
			stillReferenced = List.copyOf(stillReferenced);
		}

	}

}
