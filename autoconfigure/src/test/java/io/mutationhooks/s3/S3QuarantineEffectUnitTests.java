package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.mutationhooks.effects.PartialEffectFailure;
import io.mutationhooks.effects.PermanentEffectFailure;
import io.mutationhooks.s3.S3QuarantineEffect.ObjectToQuarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link S3QuarantineEffect} deletes an original only once it is copied, and copies only what the claim allows: a key
 * a row refers to again is neither copied nor deleted, a key whose copy S3 refuses stays where it is.
 */
class S3QuarantineEffectUnitTests {

	private static final S3Bucket BUCKET = new S3Bucket("avatars", "avatars", "", true, true);

	private final List<String> copied = new ArrayList<>();

	private final List<String> deleted = new ArrayList<>();

	private final List<String> reportedDeleted = new ArrayList<>();

	private final S3Client s3 = new S3Client() {

		@Override
		public CopyObjectResponse copyObject(CopyObjectRequest request) {
			if (request.sourceKey().equals("refused.png")) {
				throw (S3Exception) S3Exception.builder()
					.statusCode(403)
					.awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").build())
					.message("Access Denied")
					.build();
			}
			if (request.sourceKey().equals("gone.png")) {
				throw (S3Exception) S3Exception.builder()
					.statusCode(404)
					.awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchKey").build())
					.build();
			}
			S3QuarantineEffectUnitTests.this.copied.add(request.sourceKey() + " -> " + request.destinationKey());
			return CopyObjectResponse.builder().build();
		}

		@Override
		public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
			request.delete()
				.objects()
				.stream()
				.map(ObjectIdentifier::key)
				.forEach(S3QuarantineEffectUnitTests.this.deleted::add);
			return DeleteObjectsResponse.builder().build();
		}

		@Override
		public String serviceName() {
			return SERVICE_NAME;
		}

		@Override
		public void close() {
		}

	};

	/** Claims that keep "again.png", which a row refers to again, and allow the rest. */
	private final DeletionClaims claims = new ClaimsThatAlwaysHold() {

		@Override
		public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
			return new Claim("claim-1", bucket, keys.stream().filter(key -> !key.equals("again.png")).toList(),
					List.of(), keys.stream().filter(key -> key.equals("again.png")).toList());
		}

		@Override
		public void deleted(Claim claim, Collection<String> deletedKeys) {
			S3QuarantineEffectUnitTests.this.reportedDeleted.addAll(deletedKeys);
		}

	};

	@Test
	void anOriginalIsDeletedOnlyOnceCopiedAndAKeyReferredToAgainIsLeftAlone() {
		S3QuarantineEffect effect = new S3QuarantineEffect(this.s3, new S3References(List.of(BUCKET), List.of()),
				this.claims, new ObjectDeletion(this.s3, AwsRequestOverrideConfiguration.builder().build()),
				AwsRequestOverrideConfiguration.builder().build());

		assertThatExceptionOfType(PartialEffectFailure.class)
			.isThrownBy(() -> effect.handle(objects("moved.png", "refused.png", "again.png", "gone.png")))
			.satisfies(failure -> {
				assertThat(failure.failures().keySet()).singleElement()
					.isEqualTo(new ObjectToQuarantine("avatars", "avatars", "refused.png", "lost+found/refused.png"));
				assertThat(failure.failures().values()).singleElement()
					.isInstanceOf(PermanentEffectFailure.class)
					.extracting(Throwable::getMessage)
					.asString()
					.startsWith("Could not quarantine s3://avatars/refused.png: CopyObject to lost+found/refused.png "
							+ "failed");
			});

		assertThat(this.copied).containsExactly("moved.png -> lost+found/moved.png");
		assertThat(this.deleted).as("the gone object's delete is a no-op").containsExactly("moved.png", "gone.png");
		assertThat(this.reportedDeleted).containsExactly("moved.png", "gone.png");
	}

	private static List<ObjectToQuarantine> objects(String... keys) {
		return List.of(keys)
			.stream()
			.map(key -> new ObjectToQuarantine("avatars", "avatars", key, "lost+found/" + key))
			.toList();
	}

}
