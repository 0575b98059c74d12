package io.mutationhooks.s3;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The durable effect that moves objects no row refers to under a quarantine prefix of their bucket, for an undo
 * window: each key is claimed as for a delete ({@link DeletionClaims}), so a key a row refers to again is neither
 * copied nor deleted and a key a write is checking is retried later; the others are copied with CopyObject to their
 * quarantine key, and only those copied are deleted, if their claim still holds. The copies of one call stop once a
 * quarter of the lease timeout has passed since the claim: the keys not copied by then are retried. An object gone already is only deleted (nothing to keep). Objects
 * over 5 GB cannot be copied in one CopyObject and are parked with S3's answer.
 */
public final class S3QuarantineEffect extends ClaimedRemovalEffect<S3QuarantineEffect.ObjectToQuarantine> {

	/** The effect's name. */
	public static final String NAME = "mutation-hooks.s3-quarantine";

	/**
	 * The most objects one call takes: their keys stay claimed (writes of them refused) while they are copied, for at
	 * most a quarter of the lease timeout; those not copied by then are moved on the next try.
	 */
	public static final int MAX_BATCH_SIZE = 100;

	private static final ObjectDeletion.Failure NOT_REACHED = new ObjectDeletion.Failure("not copied within a "
			+ "quarter of mutation-hooks.s3.verify.lease-timeout of its claim (the copies before it were slow); "
			+ "moved on the next try", false, true);

	private final S3Client s3;

	private final AwsRequestOverrideConfiguration requestOverrides;

	/**
	 * @param s3 the client
	 * @param references the buckets and the fields that refer to them
	 * @param claims claims keys right before they are moved, against writes checking them and rows referring to them
	 * @param deletion sends the DeleteObjects requests of the originals
	 * @param requestOverrides applied to every CopyObject request, to bound it in time
	 */
	public S3QuarantineEffect(S3Client s3, S3References references, DeletionClaims claims, ObjectDeletion deletion,
			AwsRequestOverrideConfiguration requestOverrides) {
		super(references, new ClaimedDeletion(claims, deletion), "quarantine");
		this.s3 = Objects.requireNonNull(s3, "s3 must not be null");
		this.requestOverrides = Objects.requireNonNull(requestOverrides, "requestOverrides must not be null");
	}

	/**
	 * An object to move, as stored.
	 * @param binding the bucket's name in configuration ({@code mutation-hooks.s3.buckets.<binding>})
	 * @param bucket the bucket's real name when the effect was requested, for operators reading the backlog
	 * @param key the key
	 * @param quarantineKey where the object goes in the same bucket: the quarantine prefix followed by the key
	 */
	public record ObjectToQuarantine(String binding, String bucket, String key, String quarantineKey)
			implements ObjectInBucket {
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Class<ObjectToQuarantine> payloadType() {
		return ObjectToQuarantine.class;
	}

	@Override
	public int maxBatchSize() {
		return MAX_BATCH_SIZE;
	}

	@Override
	ClaimedDeletion.Outcome remove(ClaimedDeletion deletion, S3Bucket bucket, List<ObjectToQuarantine> objects) {
		Map<String, String> targets = new LinkedHashMap<>();
		objects.forEach(object -> targets.putIfAbsent(object.key(), object.quarantineKey()));
		return deletion.delete(bucket, List.copyOf(targets.keySet()),
				(deletable, timeLeft) -> copy(bucket, deletable, targets, timeLeft));
	}

	/**
	 * Copies each key to its target while the claim leaves time; the keys that could not be copied, or were not
	 * reached in time, are not deleted.
	 */
	private Map<String, ObjectDeletion.Failure> copy(S3Bucket bucket, List<String> keys, Map<String, String> targets,
			BooleanSupplier timeLeft) {
		Map<String, ObjectDeletion.Failure> failed = new LinkedHashMap<>();
		for (String key : keys) {
			if (!timeLeft.getAsBoolean()) {
				failed.put(key, NOT_REACHED);
				continue;
			}
			try {
				this.s3.copyObject(request -> request.sourceBucket(bucket.name())
					.sourceKey(key)
					.destinationBucket(bucket.name())
					.destinationKey(targets.get(key))
					.overrideConfiguration(this.requestOverrides));
			}
			catch (RuntimeException ex) {
				if (!isMissing(ex)) {
					failed.put(key, new ObjectDeletion.Failure("CopyObject to " + targets.get(key) + " failed: " + ex,
							ObjectDeletion.refusedForGood(ex), true));
				}
			}
		}
		return failed;
	}

	/** Whether S3 answered that the object to copy is not there: gone already, nothing to keep. */
	private static boolean isMissing(RuntimeException ex) {
		return ex instanceof AwsServiceException answer && answer.statusCode() == 404
				&& answer.awsErrorDetails() != null && "NoSuchKey".equals(answer.awsErrorDetails().errorCode());
	}

}
