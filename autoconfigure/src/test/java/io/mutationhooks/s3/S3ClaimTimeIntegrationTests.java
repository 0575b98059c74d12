package io.mutationhooks.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

import io.mutationhooks.effects.PartialEffectFailure;
import io.mutationhooks.effects.PermanentEffectFailure;
import io.mutationhooks.s3.S3DeleteEffect.ObjectToDelete;
import io.mutationhooks.s3.S3QuarantineEffect.ObjectToQuarantine;
import io.mutationhooks.testapp.Pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A removal never outlives its claim: the quarantine's copies stop once a quarter of the lease timeout has passed since
 * the claim, and the delete, of either effect, is sent only while the claim's row is there and young. Otherwise a
 * claim purged (twice the lease timeout after it was made) while the effect was slow lets a write lease the key, find
 * no claim and commit, and the delete that follows takes the object of a committed row. The leases here have a lease
 * timeout of one second; the effects run in the test's thread.
 */
class S3ClaimTimeIntegrationTests extends S3ProxyIntegrationTestSupport {

	private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(1);

	/** Past twice the lease timeout: a claim made before this wait may be purged after it. */
	private static final long PAST_PURGE_MILLIS = 2 * LEASE_TIMEOUT.toMillis() + 500;

	private static final AwsRequestOverrideConfiguration NO_OVERRIDES = AwsRequestOverrideConfiguration.builder()
		.build();

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcDialect dialect;

	@Autowired
	StillReferenced stillReferenced;

	@Test
	void aQuarantineWhoseClaimWasPurgedWhileItCopiedDeletesNothingSoAWriteCommittedMeanwhileKeepsItsObject() {
		put(AVATARS, "app/a.png");
		put(AVATARS, "app/b.png");
		JdbcKeyLeases leases = leases(this.stillReferenced);
		List<Map<?, ?>> refusalsOfTheWrite = new ArrayList<>();
		List<Throwable> failuresOfTheWrite = new ArrayList<>();
		AtomicInteger copies = new AtomicInteger();
		this.requests.onSend(operation -> {
			if (operation.equals("CopyObject") && copies.incrementAndGet() == 1) {
				try {
					Pause.millis(PAST_PURGE_MILLIS);
					leases.purgeExpired();
					refusalsOfTheWrite.add(aWriteCommitsARowReferringTo("app/a.png", leases));
				}
				catch (RuntimeException | AssertionError ex) {
					failuresOfTheWrite.add(ex);
					throw ex;
				}
			}
		});

		assertThatExceptionOfType(PartialEffectFailure.class)
			.isThrownBy(() -> quarantine(leases).handle(List.of(toQuarantine("app/a.png"), toQuarantine("app/b.png"))))
			.satisfies(failure -> assertThat(failure.failures().values()).hasSize(2)
				.allSatisfy(why -> assertThat(why).isNotInstanceOf(PermanentEffectFailure.class)));

		assertThat(failuresOfTheWrite).isEmpty();
		assertThat(refusalsOfTheWrite).as("the write found no claim of the key, so it committed")
			.containsExactly(Map.of());
		assertThat(exists(AVATARS, "app/a.png")).as("the object of the committed row").isTrue();
		assertThat(exists(AVATARS, "app/b.png")).as("not copied in time: left for the next try").isTrue();
		assertThat(this.requests.deleteAttempts("app/a.png")).isZero();
		assertThat(copies).as("the copies stop once the claim's time is spent").hasValue(1);
	}

	@Test
	void aQuarantineCopiesOnlyForAQuarterOfTheLeaseTimeoutAfterItsClaimAndLeavesTheRestForItsNextTry() {
		List<String> keys = List.of("app/a.png", "app/b.png", "app/c.png");
		keys.forEach(key -> put(AVATARS, key));
		// A quarter of 2 s: the first copy starts within 500 ms of the claim and ends after it.
		JdbcKeyLeases leases = leases(this.stillReferenced, Duration.ofSeconds(2));
		this.requests.onSend(operation -> {
			if (operation.equals("CopyObject")) {
				Pause.millis(600);
			}
		});

		assertThatExceptionOfType(PartialEffectFailure.class)
			.isThrownBy(() -> quarantine(leases).handle(keys.stream().map(this::toQuarantine).toList()))
			.satisfies(failure -> assertThat(failure.failures().keySet())
				.extracting(payload -> ((ObjectToQuarantine) payload).key())
				.containsExactlyInAnyOrder("app/b.png", "app/c.png"));

		assertThat(keys(AVATARS)).as("the first moved, the others where they were")
			.containsExactlyInAnyOrder("app/b.png", "app/c.png", "lost+found/app/a.png");
		assertThat(this.requests.count("CopyObject")).isOne();
	}

	@Test
	void aDeleteWhoseClaimWasPurgedBeforeItWasSentIsNotSentSoAWriteCommittedMeanwhileKeepsItsObject() {
		put(AVATARS, "app/a.png");
		List<JdbcKeyLeases> holder = new ArrayList<>();
		List<Map<?, ?>> refusalsOfTheWrite = new ArrayList<>();
		StillReferenced slowAfterTheClaim = (bucket, keys) -> {
			Set<String> referenced = this.stillReferenced.among(bucket, keys);
			Pause.millis(PAST_PURGE_MILLIS);
			holder.get(0).purgeExpired();
			refusalsOfTheWrite.add(aWriteCommitsARowReferringTo("app/a.png", holder.get(0)));
			return referenced;
		};
		JdbcKeyLeases leases = leases(slowAfterTheClaim);
		holder.add(leases);
		S3DeleteEffect delete = new S3DeleteEffect(this.references, leases, new ObjectDeletion(this.s3, NO_OVERRIDES));

		assertThatExceptionOfType(PartialEffectFailure.class)
			.isThrownBy(() -> delete.handle(List.of(new ObjectToDelete(AVATARS, AVATARS, "app/a.png"))))
			.satisfies(failure -> assertThat(failure.failures().values()).singleElement()
				.isNotInstanceOf(PermanentEffectFailure.class)
				.extracting(Throwable::getMessage)
				.asString()
				.contains("its claim ran out before the delete"));

		assertThat(refusalsOfTheWrite).as("the write found no claim of the key, so it committed")
			.containsExactly(Map.of());
		assertThat(exists(AVATARS, "app/a.png")).isTrue();
		assertThat(this.requests.count("DeleteObjects")).isZero();
	}

	/**
	 * A write as {@link S3SyncHook} does it: leases the key, checks that the object exists, re-checks its lease before
	 * commit and commits a row referring to it if nothing refused it.
	 * @return what the re-check refused
	 */
	private Map<?, ?> aWriteCommitsARowReferringTo(String key, JdbcKeyLeases leases) {
		KeyLeases.Lease lease = leases.lease(List.of(new S3Bucket.S3Object(AVATARS, key)));
		try {
			assertThat(exists(AVATARS, key)).isTrue();
			Map<?, ?> refusals = leases.refusals(List.of(lease));
			if (refusals.isEmpty()) {
				insertMember("late", key);
			}
			return refusals;
		}
		finally {
			leases.release(List.of(lease));
		}
	}

	private JdbcKeyLeases leases(StillReferenced stillReferenced) {
		return leases(stillReferenced, LEASE_TIMEOUT);
	}

	private JdbcKeyLeases leases(StillReferenced stillReferenced, Duration leaseTimeout) {
		return new JdbcKeyLeases(this.dataSource, this.dialect, stillReferenced, leaseTimeout);
	}

	private S3QuarantineEffect quarantine(JdbcKeyLeases leases) {
		return new S3QuarantineEffect(this.s3, this.references, leases, new ObjectDeletion(this.s3, NO_OVERRIDES),
				NO_OVERRIDES);
	}

	private ObjectToQuarantine toQuarantine(String key) {
		return new ObjectToQuarantine(AVATARS, AVATARS, key, "lost+found/" + key);
	}

}
