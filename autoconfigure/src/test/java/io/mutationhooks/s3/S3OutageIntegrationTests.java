package io.mutationhooks.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectStatus;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletes recorded while S3 fails are retried through the outage and done once S3 is back: every object of a deleted
 * row goes, each key is deleted once, and the objects of the other rows stay. The faults are real ones on the wire,
 * played by a proxy in front of S3Proxy: a closed port, and DeleteObjects answered with 500 InternalError. Retries
 * come quicker than by default (a retry waits for its backoff and then for the next poll), so that many of them fit
 * in a short test.
 */
@TestPropertySource(properties = { "mutation-hooks.effects.retry.initial-backoff=50ms",
		"mutation-hooks.effects.retry.max-backoff=200ms", "db-scheduler.polling-interval=100ms" })
class S3OutageIntegrationTests extends S3IntegrationTestSupport {

	/** One more than the attempts after which the in-memory queue gives a key up (its default max-attempts). */
	private static final int ATTEMPTS_DURING_THE_OUTAGE = 9;

	private static final S3FaultProxy proxy = S3FaultProxy.inFrontOf(S3ProxyServer.shared().endpoint());

	@DynamicPropertySource
	static void s3BehindTheFaultProxy(DynamicPropertyRegistry registry) {
		S3ProxyServer.shared().registerEndpoint(registry);
		registry.add("spring.cloud.aws.s3.endpoint", () -> proxy.endpoint().toString());
	}

	@AfterAll
	static void closeProxy() {
		proxy.close();
	}

	@Autowired
	MemberRepository members;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	EffectBacklog backlog;

	@BeforeEach
	@AfterEach
	void healS3AndStartClean() {
		proxy.start();
		proxy.failDeleteObjects(false);
		// Pooled connections that the proxy closed fail once each; use them up before going on.
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> this.s3.listBuckets() != null);
		this.jdbc.update("DELETE FROM member");
		emptyBuckets(AVATARS);
		this.requests.reset();
	}

	@Test
	void deletesRecordedWhileS3IsOutOfReachAreDoneOnceItIsBackEachKeyOnce() {
		Deletes deletes = deletesDuring(proxy::stop, "out-of-reach");

		proxy.start();

		deletes.assertDoneOnceAndTheOtherObjectsKept();
	}

	@Test
	void deletesRecordedWhileS3Answers500AreDoneOnceItRecoversEachKeyOnce() {
		Deletes deletes = deletesDuring(() -> proxy.failDeleteObjects(true), "internal-error");
		assertThat(proxy.deleteObjectsFailed()).isGreaterThanOrEqualTo(ATTEMPTS_DURING_THE_OUTAGE);

		proxy.failDeleteObjects(false);

		deletes.assertDoneOnceAndTheOtherObjectsKept();
	}

	/**
	 * Saves 25 members with their avatars, starts the outage, deletes 10 members one transaction each and 10 in one
	 * transaction, and waits until S3 has failed each of their keys {@value #ATTEMPTS_DURING_THE_OUTAGE} times.
	 */
	private Deletes deletesDuring(Runnable outage, String prefix) {
		List<Member> saved = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			String key = prefix + "/" + i + ".png";
			put(AVATARS, key);
			saved.add(this.members.save(new Member(prefix + " " + i, key)));
		}
		this.requests.reset();
		outage.run();

		saved.subList(0, 10).forEach(this.members::delete);
		this.transactions.executeWithoutResult(status -> saved.subList(10, 20).forEach(this.members::delete));

		Deletes deletes = new Deletes(avatars(saved.subList(0, 20)), avatars(saved.subList(20, 25)));
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(deletes.deleted())
				.allSatisfy(key -> assertThat(this.requests.deleteAttempts(key)).as("attempts to delete %s", key)
					.isGreaterThanOrEqualTo(ATTEMPTS_DURING_THE_OUTAGE)));
		assertThat(deletes.deleted()).allSatisfy(
				key -> assertThat(this.requests.timesDeleted(key)).as("deleted during the outage: %s", key).isZero());
		return deletes;
	}

	private static List<String> avatars(List<Member> members) {
		return members.stream().map(Member::getAvatarUrl).toList();
	}

	/** The avatars of the deleted members, and of those kept. */
	private final class Deletes {

		private final List<String> deleted;

		private final List<String> kept;

		Deletes(List<String> deleted, List<String> kept) {
			this.deleted = deleted;
			this.kept = kept;
		}

		List<String> deleted() {
			return this.deleted;
		}

		void assertDoneOnceAndTheOtherObjectsKept() {
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(keys(AVATARS)).containsExactlyInAnyOrderElementsOf(this.kept));
			EffectRows.awaitSettled(jdbc);
			assertThat(backlog.list(EffectStatus.PARKED, 10)).as("parked effects").isEmpty();
			assertThat(this.deleted).allSatisfy(
					key -> assertThat(requests.timesDeleted(key)).as("times S3 deleted %s", key).isOne());
			assertThat(this.kept).allSatisfy(
					key -> assertThat(requests.deleteAttempts(key)).as("attempts to delete %s", key).isZero());
		}

	}

}
