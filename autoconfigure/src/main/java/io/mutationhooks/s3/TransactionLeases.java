package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.mutationhooks.Mutation;
import io.mutationhooks.Op;
import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.KeyLeases.Lease;
import io.mutationhooks.s3.KeyLeases.Refusal;
import io.mutationhooks.s3.S3Bucket.S3Object;
import io.mutationhooks.transaction.RequiredBeforeCommit;
import io.mutationhooks.transaction.SavepointMarks;

/**
 * Ties the {@link KeyLeases leases} of the objects a write checks to its transaction: taken before the check, asked
 * just before the transaction commits whether a cleanup may have deleted one since (which refuses the commit), and
 * released when the transaction ends, however it ends. Without a transaction (no transaction manager) the question
 * is asked as soon as the lease is taken, before the write, and the leases are released when the write ends.
 */
final class TransactionLeases {

	private static final Logger logger = LoggerFactory.getLogger(TransactionLeases.class);

	private final KeyLeases leases;

	TransactionLeases(KeyLeases leases) {
		this.leases = Objects.requireNonNull(leases, "leases must not be null");
	}

	/**
	 * Leases {@code objects} ahead of the write's transaction, for a check before it opens; {@link #adopt} then ties
	 * the lease to the transaction.
	 * @return the lease, or {@literal null} for no objects
	 */
	Lease leaseAhead(Collection<S3Object> objects) {
		return objects.isEmpty() ? null : this.leases.lease(objects);
	}

	/** Ties leases taken ahead of the transaction of {@code mutation} to it. */
	void adopt(List<Lease> leases, Map<S3Object, Referrer> referrers, Mutation<?> mutation) {
		if (leases.isEmpty()) {
			return;
		}
		Held held = held(mutation);
		if (held != null) {
			held.add(leases, referrers);
		}
		else {
			releaseWhenTheWriteEnds(leases, mutation);
			refuseIfUnsafe(leases, referrers);
		}
	}

	/**
	 * Leases those of {@code objects} that the transaction of {@code mutation} has not leased yet, before they are
	 * checked, and ties the lease to it.
	 * @param objects the objects to check, and who refers to them
	 */
	void lease(Map<S3Object, Referrer> objects, Mutation<?> mutation) {
		if (objects.isEmpty()) {
			return;
		}
		Held held = held(mutation);
		Map<S3Object, Referrer> unleased = new LinkedHashMap<>(objects);
		if (held != null) {
			unleased.keySet().removeAll(held.referrers.keySet());
		}
		if (unleased.isEmpty()) {
			return;
		}
		Lease lease;
		try {
			lease = this.leases.lease(unleased.keySet());
		}
		catch (RuntimeException ex) {
			Map.Entry<S3Object, Referrer> first = unleased.entrySet().iterator().next();
			throw first.getValue().checkFailed(first.getKey(), new IllegalStateException(
					"it could not be leased against the cleanup of other writes: " + ex.getMessage(), ex));
		}
		adopt(List.of(lease), unleased, mutation);
	}

	/** The leases of the current transaction, bound to it on first use; {@literal null} without a transaction. */
	private Held held(Mutation<?> mutation) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		Held held = (Held) TransactionSynchronizationManager.getResource(this);
		if (held == null) {
			held = new Held();
			TransactionSynchronizationManager.bindResource(this, held);
			TransactionSynchronizationManager.registerSynchronization(held);
		}
		return held;
	}

	private void releaseWhenTheWriteEnds(List<Lease> leases, Mutation<?> mutation) {
		Runnable release = () -> release(leases);
		mutation.transaction().afterCommit(release);
		mutation.transaction().afterRollback(release);
	}

	private void refuseIfUnsafe(List<Lease> leases, Map<S3Object, Referrer> referrers) {
		Map<S3Object, Refusal> refusals;
		try {
			refusals = this.leases.refusals(leases);
		}
		catch (RuntimeException ex) {
			Map.Entry<S3Object, Referrer> first = referrers.entrySet().iterator().next();
			throw first.getValue().checkFailed(first.getKey(), new IllegalStateException(
					"whether a cleanup deleted it since it was checked cannot be told: " + ex.getMessage(), ex));
		}
		if (refusals.isEmpty()) {
			return;
		}
		Map.Entry<S3Object, Refusal> first = refusals.entrySet().iterator().next();
		Referrer referrer = referrers.get(first.getKey());
		throw first.getValue() == Refusal.BEING_DELETED ? referrer.beingDeleted(first.getKey())
				: referrer.checkFailed(first.getKey(), new IllegalStateException("its lease ran out before the commit "
						+ "(mutation-hooks.s3.verify.lease-timeout), so a cleanup may have deleted it since; retry the "
						+ "write in a shorter transaction"));
	}

	private void release(List<Lease> leases) {
		try {
			this.leases.release(leases);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release the lease of {}; it holds back their cleanup until it expires",
					SafeText.quote(leases.stream().flatMap(lease -> lease.objects().stream()).toList().toString()), ex);
		}
	}

	/**
	 * Who refers to a leased object, for the refusal.
	 *
	 * @param entityType the entity type written
	 * @param op the operation
	 * @param field the field holding the reference
	 */
	record Referrer(Class<?> entityType, Op op, String field) {

		S3ObjectBeingDeletedException beingDeleted(S3Object object) {
			return new S3ObjectBeingDeletedException(this.entityType, this.op, this.field, object.bucket(), object.key());
		}

		S3CheckFailedException checkFailed(S3Object object, Throwable cause) {
			return new S3CheckFailedException(this.entityType, this.op, this.field, object.bucket(), object.key(), cause);
		}

	}

	/**
	 * The leases of one transaction. Those taken once it has asked about its leases before the commit (by a write in
	 * another synchronization's {@code beforeCommit}) are asked about at once. A rollback to a savepoint (a
	 * {@code NESTED} transaction's, or one made by hand) releases the leases taken since: the writes that took them are
	 * undone, so they would hold back cleanups, and could refuse the commit, for nothing.
	 */
	private final class Held extends RequiredBeforeCommit {

		private final List<Lease> leases = new ArrayList<>();

		private final Map<S3Object, Referrer> referrers = new LinkedHashMap<>();

		/** How many leases and referrers there were at each savepoint made since this was registered. */
		private final SavepointMarks savepoints = new SavepointMarks();

		@Override
		public void savepoint(Object savepoint) {
			this.savepoints.made(savepoint, this.leases.size(), this.referrers.size());
		}

		/**
		 * Releases the leases taken since {@code savepoint}, all of them if it is older than this synchronization
		 * (registered by the first lease after it), and forgets who referred to their objects.
		 */
		@Override
		public void savepointRollback(Object savepoint) {
			int[] held = this.savepoints.rolledBackTo(savepoint, 2);
			List<Lease> taken = this.leases.subList(Math.min(held[0], this.leases.size()), this.leases.size());
			if (!taken.isEmpty()) {
				release(List.copyOf(taken));
				taken.clear();
			}
			int kept = 0;
			for (Iterator<S3Object> objects = this.referrers.keySet().iterator(); objects.hasNext();) {
				objects.next();
				if (kept++ >= held[1]) {
					objects.remove();
				}
			}
		}

		void add(List<Lease> leases, Map<S3Object, Referrer> referrers) {
			this.leases.addAll(leases);
			referrers.forEach(this.referrers::putIfAbsent);
			if (ranBeforeCommit()) {
				refuseIfUnsafe(leases, referrers);
			}
		}

		// A REQUIRES_NEW transaction suspends this one: its leases must be held apart and end with it.
		@Override
		public void suspend() {
			TransactionSynchronizationManager.unbindResourceIfPossible(TransactionLeases.this);
		}

		@Override
		public void resume() {
			TransactionSynchronizationManager.bindResource(TransactionLeases.this, this);
		}

		@Override
		protected void runBeforeCommit() {
			refuseIfUnsafe(this.leases, this.referrers);
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(TransactionLeases.this);
			release(this.leases);
		}

	}

}
