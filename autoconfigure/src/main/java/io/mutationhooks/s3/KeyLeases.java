package io.mutationhooks.s3;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.mutationhooks.s3.S3Bucket.S3Object;

/**
 * The writer's side of the protocol that keeps an object from being deleted while a write that is about to refer to
 * it checks that it exists (see {@code docs/design.md}, "S3: the shared-key race"): a write leases the objects it
 * checks before it checks them, asks just before it commits whether a cleanup may have deleted one since, and
 * releases the lease when its transaction ends. A lease the write never releases (its process died) expires.
 */
public interface KeyLeases {

	/**
	 * Leases {@code objects} in a transaction of its own, committed before it returns.
	 * @param objects the objects about to be checked, must not be {@literal null} nor empty
	 * @return the lease
	 */
	Lease lease(Collection<S3Object> objects);

	/**
	 * Tells, in a transaction of its own, which objects of {@code leases} the write must not commit a reference to:
	 * one a cleanup may have deleted since it was leased, or one whose lease has run out (a cleanup no longer waits
	 * for it).
	 * @param leases the leases of one write
	 * @return the objects refused, and why; empty when the write may commit
	 */
	Map<S3Object, Refusal> refusals(Collection<Lease> leases);

	/**
	 * Releases {@code leases}, in a transaction of its own.
	 * @param leases leases whose write has ended, committed or rolled back
	 */
	void release(Collection<Lease> leases);

	/**
	 * Leased objects.
	 *
	 * @param id identifies the lease in the database
	 * @param objects the objects leased
	 */
	record Lease(String id, Set<S3Object> objects) {

		public Lease {
			Objects.requireNonNull(id, "id must not be null");
			objects = Set.copyOf(objects);
		}

	}

	/** Why a write may not commit its reference to a leased object. */
	enum Refusal {

		/** A cleanup claimed the object after it was leased, and may have deleted it. */
		BEING_DELETED,

		/** The lease ran out before the write committed, so a cleanup may have deleted the object. */
		LEASE_EXPIRED

	}

}
