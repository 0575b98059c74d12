package io.mutationhooks.s3;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.mutationhooks.s3.DeletionClaims.Claim;

import static io.mutationhooks.s3.RetryingS3Cleanup.MAX_KEYS_PER_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How {@link RetryingS3Cleanup} tells what S3 refuses for good from what may pass later, and that nothing thrown on
 * its thread, not even an {@link Error}, loses keys without a word.
 */
@ExtendWith(OutputCaptureExtension.class)
class RetryingS3CleanupUnitTests {

	private static final S3Bucket BUCKET = new S3Bucket("avatars", "avatars", "", true, true);

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final FakeS3Client s3 = new FakeS3Client();

	private RetryingS3Cleanup cleanup;

	@AfterEach
	void close() {
		if (this.cleanup != null) {
			this.cleanup.close();
		}
	}

	@Test
	void aKeyS3RefusesForGoodIsGivenUpAtOnceWithAnErrorNamingIt(CapturedOutput output) {
		this.s3.answer = request -> answerWithErrors(request, key -> key.startsWith("denied") ? "AccessDenied" : null);
		this.cleanup = cleanup(nothingReferenced());

		this.cleanup.deleteSoon(BUCKET, List.of("a.png", "denied\n.png", "b.png"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut()).contains("ERROR")
			.contains("s3://avatars/denied\\u000A.png")
			.contains("AccessDenied"));
		assertThat(this.s3.requestsCarrying("denied\n.png")).as("requests that carried the refused key").isOne();
		assertThat(this.s3.deleted()).containsExactlyInAnyOrder("a.png", "b.png");
		assertThat(output.getOut()).doesNotContain("denied\n.png").doesNotContain("Could not delete");
	}

	@Test
	void aKeyThatFailsForNowIsRetriedUntilItIsDeleted() {
		AtomicBoolean failed = new AtomicBoolean();
		this.s3.answer = request -> answerWithErrors(request,
				key -> key.equals("busy.png") && failed.compareAndSet(false, true) ? "InternalError" : null);
		this.cleanup = cleanup(nothingReferenced());

		this.cleanup.deleteSoon(BUCKET, List.of("a.png", "busy.png"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.s3.deleted()).contains("a.png", "busy.png"));
		assertThat(this.s3.requestsCarrying("busy.png")).isEqualTo(2);
	}

	@Test
	void aRequestRefusedForGoodIsSplitUntilOnlyTheKeyAtFaultIsGivenUp(CapturedOutput output) {
		this.s3.answer = request -> {
			if (keysOf(request).contains("poisoned.png")) {
				throw refusal(400, "MalformedXML");
			}
			return answerWithErrors(request, key -> null);
		};
		this.cleanup = cleanup(nothingReferenced());
		List<String> keys = List.of("1.png", "2.png", "3.png", "poisoned.png", "4.png", "5.png", "6.png");

		this.cleanup.deleteSoon(BUCKET, keys);

		await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut()).contains("ERROR")
			.contains("s3://avatars/poisoned.png")
			.contains("MalformedXML"));
		assertThat(this.s3.deleted()).containsExactlyInAnyOrder("1.png", "2.png", "3.png", "4.png", "5.png", "6.png");
		assertThat(output.getOut()).doesNotContain("Could not delete");
	}

	@Test
	void aRequestThrottledOrFailingOnTheServerIsRetriedWhole() {
		AtomicBoolean throttled = new AtomicBoolean();
		AtomicBoolean failed = new AtomicBoolean();
		this.s3.answer = request -> {
			if (throttled.compareAndSet(false, true)) {
				throw refusal(429, "TooManyRequests");
			}
			if (failed.compareAndSet(false, true)) {
				throw refusal(503, "SlowDown");
			}
			return answerWithErrors(request, key -> null);
		};
		this.cleanup = cleanup(nothingReferenced());

		this.cleanup.deleteSoon(BUCKET, List.of("a.png", "b.png"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.s3.deleted()).containsExactlyInAnyOrder("a.png", "b.png"));
		assertThat(this.s3.requests).containsExactly(List.of("a.png", "b.png"), List.of("a.png", "b.png"),
				List.of("a.png", "b.png"));
	}

	@Test
	void aKeyAWriteIsCheckingIsRetriedUntilTheWriteHasEnded() {
		this.s3.answer = request -> answerWithErrors(request, key -> null);
		AtomicInteger claimsOfBusy = new AtomicInteger();
		this.cleanup = cleanup(claimsOf(nothingReferenced(),
				key -> key.equals("busy.png") && claimsOfBusy.incrementAndGet() < 3, (claim, deleted) -> {
				}));

		this.cleanup.deleteSoon(BUCKET, List.of("a.png", "busy.png"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.s3.deleted()).contains("a.png", "busy.png"));
		assertThat(this.s3.requests).containsExactly(List.of("a.png"), List.of("busy.png"));
	}

	@Test
	void keysOfARequestThatWentThroughAreNotSentAgainWhenTheNextRequestOfTheBatchFails() {
		this.s3.answer = request -> answerWithErrors(request, key -> null);
		List<String> keys = IntStream.range(0, MAX_KEYS_PER_REQUEST + 1).mapToObj(i -> i + ".png").toList();
		String last = keys.get(keys.size() - 1);
		AtomicBoolean failed = new AtomicBoolean();
		this.cleanup = cleanup((bucket, checked) -> {
			if (checked.contains(last) && failed.compareAndSet(false, true)) {
				throw new IllegalStateException("database away for a moment");
			}
			return Set.of();
		});

		this.cleanup.deleteSoon(BUCKET, keys);

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.s3.deleted()).hasSize(keys.size()));
		assertThat(this.s3.requestsCarrying("0.png")).as("requests that carried a key of the first request").isOne();
		assertThat(this.s3.requestsCarrying(last)).isOne();
	}

	@Test
	void theClaimIsToldWhichKeysS3MayHaveDeleted() {
		this.s3.answer = request -> answerWithErrors(request, key -> key.startsWith("denied") ? "AccessDenied" : null);
		List<Collection<String>> reported = new CopyOnWriteArrayList<>();
		this.cleanup = cleanup(claimsOf((bucket, keys) -> Set.of("kept.png"), key -> false,
				(claim, deleted) -> reported.add(deleted)));

		this.cleanup.deleteSoon(BUCKET, List.of("a.png", "kept.png", "denied.png", "b.png"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(reported).containsExactly(List.of("a.png", "b.png")));
		assertThat(this.s3.requests).containsExactly(List.of("a.png", "denied.png", "b.png"));
	}

	@Test
	void anErrorWhileCheckingReferencesIsLoggedWithItsKeysAndTheKeysAreRetried(CapturedOutput output) {
		AtomicBoolean thrown = new AtomicBoolean();
		this.s3.answer = request -> answerWithErrors(request, key -> null);
		this.cleanup = cleanup((bucket, keys) -> {
			if (thrown.compareAndSet(false, true)) {
				throw new OutOfMemoryError("test");
			}
			return Set.of();
		});

		this.cleanup.deleteSoon(BUCKET, List.of("a.png", "b\r.png"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.s3.deleted()).containsExactlyInAnyOrder("a.png", "b\r.png"));
		assertThat(output.getOut()).contains("ERROR")
			.contains("java.lang.OutOfMemoryError: test")
			.contains("2 key(s) of bucket avatars: [a.png, b\\u000D.png]")
			.doesNotContain("b\r.png");
	}

	@Test
	void anErrorFromTheS3ClientIsLoggedWithItsKeysAndTheKeysAreRetried(CapturedOutput output) {
		AtomicBoolean thrown = new AtomicBoolean();
		this.s3.answer = request -> {
			if (thrown.compareAndSet(false, true)) {
				throw new AssertionError("test");
			}
			return answerWithErrors(request, key -> null);
		};
		this.cleanup = cleanup(nothingReferenced());

		this.cleanup.deleteSoon(BUCKET, List.of("a.png"));

		await().atMost(WAIT).untilAsserted(() -> assertThat(this.s3.deleted()).containsExactly("a.png"));
		assertThat(output.getOut()).contains("ERROR")
			.contains("java.lang.AssertionError: test")
			.contains("1 key(s) of bucket avatars: [a.png]");
	}

	private RetryingS3Cleanup cleanup(StillReferenced stillReferenced) {
		return cleanup(claimsOf(stillReferenced, key -> false, (claim, deleted) -> {
		}));
	}

	private RetryingS3Cleanup cleanup(DeletionClaims claims) {
		return new RetryingS3Cleanup(this.s3, claims, 8, Duration.ofMillis(1), Duration.ofMillis(10),
				AwsRequestOverrideConfiguration.builder().build());
	}

	/** Claims that keep what rows refer to, postpone what {@code checking} says a write checks, and report deletes. */
	private static DeletionClaims claimsOf(StillReferenced stillReferenced, Predicate<String> checking,
			BiConsumer<Claim, Collection<String>> deleted) {
		return new ClaimsThatAlwaysHold() {
			@Override
			public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
				List<String> unchecked = keys.stream().filter(checking.negate()).toList();
				Set<String> referenced = stillReferenced.among(bucket, unchecked);
				return new Claim("claim", bucket, unchecked.stream().filter(key -> !referenced.contains(key)).toList(),
						keys.stream().filter(checking).toList(), List.copyOf(referenced));
			}

			@Override
			public void deleted(Claim claim, Collection<String> deletedKeys) {
				deleted.accept(claim, List.copyOf(deletedKeys));
			}
		};
	}

	private static StillReferenced nothingReferenced() {
		return (bucket, keys) -> Set.of();
	}

	private static List<String> keysOf(DeleteObjectsRequest request) {
		return request.delete().objects().stream().map(ObjectIdentifier::key).toList();
	}

	/** Deletes every key of the request but those {@code errorCode} names a code for. */
	private static DeleteObjectsResponse answerWithErrors(DeleteObjectsRequest request,
			Function<String, String> errorCode) {
		List<S3Error> errors = keysOf(request).stream()
			.filter(key -> errorCode.apply(key) != null)
			.map(key -> S3Error.builder().key(key).code(errorCode.apply(key)).message("refused by the test").build())
			.toList();
		return DeleteObjectsResponse.builder().errors(errors).build();
	}

	private static S3Exception refusal(int status, String code) {
		return (S3Exception) S3Exception.builder()
			.statusCode(status)
			.message(code + " from the test")
			.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " from the test").build())
			.build();
	}

	/** An S3 client that only knows DeleteObjects, answers as the test says and records what it was asked. */
	static final class FakeS3Client implements S3Client {

		volatile Function<DeleteObjectsRequest, DeleteObjectsResponse> answer;

		final List<List<String>> requests = new CopyOnWriteArrayList<>();

		private final List<String> deleted = new CopyOnWriteArrayList<>();

		@Override
		public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
			List<String> keys = keysOf(request);
			this.requests.add(keys);
			DeleteObjectsResponse response = this.answer.apply(request);
			Collection<String> failed = response.errors().stream().map(S3Error::key).toList();
			keys.stream().filter(key -> !failed.contains(key)).forEach(this.deleted::add);
			return response;
		}

		long requestsCarrying(String key) {
			return this.requests.stream().filter(keys -> keys.contains(key)).count();
		}

		List<String> deleted() {
			return this.deleted;
		}

		@Override
		public String serviceName() {
			return SERVICE_NAME;
		}

		@Override
		public void close() {
		}

	}

}
