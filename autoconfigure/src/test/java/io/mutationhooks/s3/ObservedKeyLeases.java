package io.mutationhooks.s3;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;

import io.mutationhooks.autoconfigure.S3SyncProperties;
import io.mutationhooks.s3.S3Bucket.S3Object;

import static org.awaitility.Awaitility.await;

/**
 * The starter's JDBC leases and claims, watched by the tests: every lease, claim and report of a delete is recorded,
 * and the cleanup can be held right after it claimed a key, before it deletes it.
 */
final class ObservedKeyLeases implements KeyLeases, DeletionClaims {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final JdbcKeyLeases leases;

	private final AtomicInteger leaseCalls = new AtomicInteger();

	private final List<Claim> claims = new CopyOnWriteArrayList<>();

	private final List<Report> reports = new CopyOnWriteArrayList<>();

	private volatile Hold hold;

	ObservedKeyLeases(JdbcKeyLeases leases) {
		this.leases = leases;
	}

	@Override
	public Lease lease(Collection<S3Object> objects) {
		this.leaseCalls.incrementAndGet();
		return this.leases.lease(objects);
	}

	@Override
	public Map<S3Object, Refusal> refusals(Collection<Lease> leases) {
		return this.leases.refusals(leases);
	}

	@Override
	public void release(Collection<Lease> leases) {
		this.leases.release(leases);
	}

	@Override
	public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
		Claim claim = this.leases.claimForDeletion(bucket, keys);
		this.claims.add(claim);
		Hold hold = this.hold;
		if (hold != null && hold.claimed.getCount() > 0 && claim.deletable().contains(hold.key)) {
			hold.claimed.countDown();
			awaitOrFail(hold.go, "the test to let the cleanup go on");
		}
		return claim;
	}

	@Override
	public void deleted(Claim claim, Collection<String> deletedKeys) {
		this.leases.deleted(claim, deletedKeys);
		this.reports.add(new Report(claim, List.copyOf(deletedKeys)));
	}

	@Override
	public boolean holds(Claim claim) {
		return this.leases.holds(claim);
	}

	@Override
	public Duration preparationTime() {
		return this.leases.preparationTime();
	}

	/** How often writes leased objects. */
	int leaseCalls() {
		return this.leaseCalls.get();
	}

	/** Holds the cleanup thread after the next claim that lets it delete {@code key}, until {@link #letTheCleanupGoOn}. */
	void holdTheCleanupOnceItClaims(String key) {
		this.hold = new Hold(key);
	}

	/** Waits until the cleanup is held after its claim of the key {@link #holdTheCleanupOnceItClaims} named. */
	void awaitTheCleanupHeld() {
		Hold hold = this.hold;
		awaitOrFail(hold.claimed, "the cleanup to claim " + hold.key);
	}

	/** Lets a cleanup held after its claim delete. */
	void letTheCleanupGoOn() {
		Hold hold = this.hold;
		if (hold != null) {
			hold.go.countDown();
		}
	}

	/** The first claim of {@code key} that {@code matching} accepts, waiting for it. */
	Claim awaitClaimOf(String key, Predicate<Claim> matching) {
		return await().atMost(WAIT)
			.until(() -> this.claims.stream()
				.filter(claim -> claim.deletable().contains(key) || claim.postponed().contains(key)
						|| claim.stillReferenced().contains(key))
				.filter(matching)
				.findFirst()
				.orElse(null), claim -> claim != null);
	}

	/** The report of the delete of {@code key}, waiting for it. */
	Report awaitDeleteOf(String key) {
		return await().atMost(WAIT)
			.until(() -> this.reports.stream().filter(report -> report.deleted.contains(key)).findFirst().orElse(null),
					report -> report != null);
	}

	/** Forgets what was recorded, and lets a held cleanup go on. */
	void reset() {
		letTheCleanupGoOn();
		this.hold = null;
		this.claims.clear();
		this.reports.clear();
		this.leaseCalls.set(0);
	}

	private static void awaitOrFail(CountDownLatch latch, String what) {
		try {
			if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				throw new AssertionError("gave up waiting for " + what);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted waiting for " + what, ex);
		}
	}

	/** A delete the cleanup reported. */
	record Report(Claim claim, List<String> deleted) {
	}

	private static final class Hold {

		private final String key;

		private final CountDownLatch claimed = new CountDownLatch(1);

		private final CountDownLatch go = new CountDownLatch(1);

		Hold(String key) {
			this.key = key;
		}

	}

	/** Puts the observed leases in place of the starter's. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Configuration {

		@Bean
		ObservedKeyLeases observedKeyLeases(DataSource dataSource, JdbcDialect dialect, StillReferenced stillReferenced,
				S3SyncProperties properties) {
			return new ObservedKeyLeases(new JdbcKeyLeases(dataSource, dialect, stillReferenced,
					properties.getVerify().getLeaseTimeout()));
		}

	}

}
