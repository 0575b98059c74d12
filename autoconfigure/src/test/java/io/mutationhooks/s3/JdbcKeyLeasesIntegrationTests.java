package io.mutationhooks.s3;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.s3.DeletionClaims.Claim;
import io.mutationhooks.s3.KeyLeases.Lease;
import io.mutationhooks.s3.KeyLeases.Refusal;
import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lease and claim tables on the database the profile chose: keys as long as S3 allows, what a claim tells
 * apart, and the purge of what no write can need any more.
 */
@SpringBootTest(classes = TestApplication.class)
class JdbcKeyLeasesIntegrationTests {

	private static final S3Bucket BUCKET = new S3Bucket("avatars", "avatars", "", true, true);

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcDialect dialect;

	@Autowired
	StillReferenced stillReferenced;

	@Autowired
	JdbcTemplate jdbc;

	final String prefix = "leases-" + UUID.randomUUID() + "/";

	@Test
	void aKeyOfTheLongestLengthS3AllowsIsLeasedClaimedAndDeleted() {
		JdbcKeyLeases leases = leases(Duration.ofMinutes(5));
		String key = this.prefix + "é".repeat((1024 - this.prefix.length()) / 2);
		Lease lease = leases.lease(List.of(BUCKET.object(key)));

		assertThat(leases.claimForDeletion(BUCKET, List.of(key)).postponed()).containsExactly(key);
		leases.release(List.of(lease));
		Claim claim = leases.claimForDeletion(BUCKET, List.of(key));
		assertThat(claim.deletable()).containsExactly(key);
		leases.deleted(claim, claim.deletable());

		assertThat(markedTombstones(key)).isOne();
	}

	@Test
	void aBucketNamedByAnAccessPointArnIsLeasedAndClaimedUnderItsWholeName() {
		// An access point's ARN is longer than a bucket's name may be (63 characters): this one is 100.
		S3Bucket accessPoint = new S3Bucket("avatars", "arn:aws:s3:eu-central-1:123456789012:accesspoint/"
				+ "production-user-uploads-for-the-web-and-mobile-apps", "", true, true);
		JdbcKeyLeases leases = leases(Duration.ofMinutes(5));
		String key = this.prefix + "through-an-access-point.png";
		Lease lease = leases.lease(List.of(accessPoint.object(key)));

		assertThat(leases.claimForDeletion(accessPoint, List.of(key)).postponed()).containsExactly(key);
		assertThat(leases.claimForDeletion(BUCKET, List.of(key)).postponed()).as("the same key in another bucket")
			.isEmpty();
		leases.release(List.of(lease));
		Claim claim = leases.claimForDeletion(accessPoint, List.of(key));
		assertThat(claim.deletable()).containsExactly(key);
		assertThat(leases.refusals(List.of(leases.lease(List.of(accessPoint.object(key))))))
			.as("a write of a key being deleted").containsKey(accessPoint.object(key));
	}

	@Test
	void aWriteThatLeasesAKeyAfterItsDeleteWasMarkedMayCommit() {
		JdbcKeyLeases leases = leases(Duration.ofMinutes(5));
		String key = this.prefix + "uploaded-again.png";
		Lease before = leases.lease(List.of(BUCKET.object(key)));
		this.jdbc.update("UPDATE " + JdbcKeyLeases.LEASES + " SET expires_at = created_at WHERE lease_id = ?",
				before.id());
		Claim claim = leases.claimForDeletion(BUCKET, List.of(key));
		leases.deleted(claim, claim.deletable());

		Lease after = leases.lease(List.of(BUCKET.object(key)));

		assertThat(leases.refusals(List.of(after))).isEmpty();
		// Refused as leased before the delete, or as run out (and purged by the claim) first.
		assertThat(leases.refusals(List.of(before))).containsKey(BUCKET.object(key));
	}

	@Test
	void aClaimWhoseCleanupDiedRefusesWritesOfItsKeysForTwiceTheLeaseTimeoutOnly() {
		JdbcKeyLeases leases = leases(Duration.ofMinutes(5));
		String key = this.prefix + "cleanup-died.png";
		// Claimed and never reported: the cleanup died before or after its delete.
		Claim claim = leases.claimForDeletion(BUCKET, List.of(key));
		assertThat(claim.deletable()).containsExactly(key);
		assertThat(leases.refusals(List.of(leases.lease(List.of(BUCKET.object(key))))))
			.containsEntry(BUCKET.object(key), Refusal.BEING_DELETED);

		// Older than twice the lease timeout: no write that checked the object before its delete can still commit.
		this.jdbc.update("UPDATE " + JdbcKeyLeases.CLAIMS + " SET created_at = ? WHERE claim_id = ?",
				Timestamp.from(Instant.now().minus(Duration.ofDays(1))), claim.id());

		assertThat(leases.refusals(List.of(leases.lease(List.of(BUCKET.object(key)))))).isEmpty();
		assertThat(claimRows(claim)).as("not purged yet: no cleanup ran since").isOne();
	}

	@Test
	void aKeyARowRefersToIsNeverDeletable() {
		JdbcKeyLeases leases = leases(Duration.ofMinutes(5));
		String key = this.prefix + "referred.png";
		this.jdbc.update("INSERT INTO member (name, avatar_url) VALUES (?, ?)", "referring", key);
		try {
			Claim claim = leases.claimForDeletion(BUCKET, List.of(key, this.prefix + "orphan.png"));

			assertThat(claim.stillReferenced()).containsExactly(key);
			assertThat(claim.deletable()).containsExactly(this.prefix + "orphan.png");
			leases.deleted(claim, List.of());
			assertThat(tombstones(key)).isZero();
			assertThat(tombstones(this.prefix + "orphan.png")).as("tombstone of a key not deleted after all").isZero();
			assertThat(claimRows(claim)).as("a claim that deleted nothing").isZero();
		}
		finally {
			this.jdbc.update("DELETE FROM member WHERE name = ?", "referring");
		}
	}

	@Test
	void leasesThatRanOutAndTombstonesPastTheirRetentionArePurged() {
		JdbcKeyLeases leases = leases(Duration.ofMillis(1));
		String leased = this.prefix + "leased.png";
		String deleted = this.prefix + "deleted.png";
		String neverReported = this.prefix + "never-reported.png";
		leases.lease(List.of(BUCKET.object(leased)));
		Claim claim = leases.claimForDeletion(BUCKET, List.of(deleted));
		leases.deleted(claim, claim.deletable());
		Claim unreported = leases.claimForDeletion(BUCKET, List.of(neverReported));

		await().atMost(Duration.ofSeconds(10)).until(() -> {
			leases.purgeExpired();
			return leaseRows(leased) + tombstones(deleted) + tombstones(neverReported) + claimRows(claim)
					+ claimRows(unreported) == 0;
		});
	}

	private JdbcKeyLeases leases(Duration timeout) {
		return new JdbcKeyLeases(this.dataSource, this.dialect, this.stillReferenced, timeout);
	}

	private int leaseRows(String key) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM " + JdbcKeyLeases.LEASES + " WHERE object_key = ?",
				Integer.class, key);
	}

	/** How many claims hold {@code key}. */
	private int tombstones(String key) {
		return claimsHolding(key, "");
	}

	/** How many claims marked deleted hold {@code key}. */
	private int markedTombstones(String key) {
		return claimsHolding(key, " AND deleted_at IS NOT NULL");
	}

	private int claimsHolding(String key, String condition) {
		return this.jdbc
			.query("SELECT key_hashes FROM " + JdbcKeyLeases.CLAIMS + " WHERE bucket = ?" + condition,
					(row, number) -> ClaimedKeys.fromBytes(row.getBytes(1)), BUCKET.name())
			.stream()
			.filter(keys -> keys.contains(key))
			.toList()
			.size();
	}

	private int claimRows(Claim claim) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM " + JdbcKeyLeases.CLAIMS + " WHERE claim_id = ?",
				Integer.class, claim.id());
	}

}
