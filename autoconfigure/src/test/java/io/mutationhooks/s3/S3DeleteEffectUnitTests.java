package io.mutationhooks.s3;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;

import io.mutationhooks.effects.PartialEffectFailure;
import io.mutationhooks.effects.PermanentEffectFailure;
import io.mutationhooks.s3.DeletionClaims.Claim;
import io.mutationhooks.s3.RetryingS3CleanupUnitTests.FakeS3Client;
import io.mutationhooks.s3.S3DeleteEffect.ObjectToDelete;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * What {@link S3DeleteEffect} reports to the effect runner when the claim protocol around its DeleteObjects fails:
 * a key S3 deleted is done, whatever happens to the record of its delete; a key not deleted is retried.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3DeleteEffectUnitTests {

	private static final S3Bucket BUCKET = new S3Bucket("avatars", "avatars", "", true, true);

	private final FakeS3Client s3 = new FakeS3Client();

	@Test
	void objectsS3DeletedAreNotRunAgainWhenTheRecordOfTheirDeleteFails(CapturedOutput output) {
		this.s3.answer = request -> DeleteObjectsResponse.builder().build();
		S3DeleteEffect effect = effect(new ClaimsThatCannotRecordADelete());

		assertThatNoException().isThrownBy(() -> effect.handle(objects("a.png", "b.png")));

		assertThat(this.s3.deleted()).containsExactly("a.png", "b.png");
		assertThat(output.getOut()).contains("WARN")
			.contains("Could not record the delete of 2 key(s) of bucket avatars")
			.contains("they are not deleted again");
	}

	@Test
	void objectsAreRetriedWithoutADeleteWhenTheirClaimFails() {
		this.s3.answer = request -> DeleteObjectsResponse.builder().build();
		S3DeleteEffect effect = effect(new ClaimsThatCannotRecordADelete() {
			@Override
			public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
				throw new IllegalStateException("database down");
			}
		});

		assertThatExceptionOfType(PartialEffectFailure.class).isThrownBy(() -> effect.handle(objects("a.png")))
			.satisfies(failure -> assertThat(failure.failures().values()).singleElement()
				.satisfies(cause -> assertThat(cause).hasMessage("database down")));
		assertThat(this.s3.requests).isEmpty();
	}

	@Test
	void objectsOfABucketWhoseCleanupIsOffWhenTheirDeleteRunsAreRetriedNotDeleted() {
		S3Bucket noCleanup = new S3Bucket("avatars", "avatars", "", true, false);
		S3DeleteEffect effect = new S3DeleteEffect(new S3References(List.of(noCleanup), List.of()),
				new ClaimsThatCannotRecordADelete() {
					@Override
					public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
						throw new AssertionError("claimed " + keys + " of a bucket that is not cleaned up");
					}
				}, new ObjectDeletion(this.s3, AwsRequestOverrideConfiguration.builder().build()));

		assertThatExceptionOfType(PartialEffectFailure.class).isThrownBy(() -> effect.handle(objects("a.png", "b.png")))
			.satisfies(failure -> assertThat(failure.failures().values()).hasSize(2)
				.allSatisfy(cause -> assertThat(cause).isNotInstanceOf(PermanentEffectFailure.class)
					.hasMessageContaining("mutation-hooks.s3.buckets.avatars.cleanup=false")
					.hasMessageEndingWith("its objects are not deleted")));
		assertThat(this.s3.requests).isEmpty();
	}

	private S3DeleteEffect effect(DeletionClaims claims) {
		S3References references = new S3References(List.of(BUCKET), List.of());
		return new S3DeleteEffect(references, claims,
				new ObjectDeletion(this.s3, AwsRequestOverrideConfiguration.builder().build()));
	}

	private static List<ObjectToDelete> objects(String... keys) {
		return Set.of(keys).stream().sorted().map(key -> new ObjectToDelete("avatars", "avatars", key)).toList();
	}

	/** Claims that let every key be deleted and then fail to record the delete, as a lost connection would. */
	private static class ClaimsThatCannotRecordADelete extends ClaimsThatAlwaysHold {

		@Override
		public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
			return new Claim("claim-1", bucket, List.copyOf(keys), List.of(), List.of());
		}

		@Override
		public void deleted(Claim claim, Collection<String> deletedKeys) {
			throw new IllegalStateException("connection lost while marking the tombstones");
		}

	}

}
