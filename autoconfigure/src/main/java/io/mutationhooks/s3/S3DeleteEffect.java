package io.mutationhooks.s3;

import java.util.List;

/**
 * The durable effect that deletes objects no row refers to any more: up to 1000 keys a call, sent with DeleteObjects
 * per bucket, each claimed first ({@link DeletionClaims}): a key some row refers to again when it runs is kept, and
 * a key a write is checking right now is retried later. A key that fails is retried or parked on its own, the other
 * keys of the call being done.
 */
public final class S3DeleteEffect extends ClaimedRemovalEffect<S3DeleteEffect.ObjectToDelete> {

	/** The effect's name. */
	public static final String NAME = "mutation-hooks.s3-delete";

	/**
	 * @param references the buckets and the fields that refer to them
	 * @param claims claims keys right before their delete, against writes checking them and rows referring to them
	 * @param deletion sends the DeleteObjects requests
	 */
	public S3DeleteEffect(S3References references, DeletionClaims claims, ObjectDeletion deletion) {
		super(references, new ClaimedDeletion(claims, deletion), "delete");
	}

	/**
	 * An object to delete, as stored.
	 * @param binding the bucket's name in configuration ({@code mutation-hooks.s3.buckets.<binding>})
	 * @param bucket the bucket's real name when the effect was requested, for operators reading the backlog
	 * @param key the key
	 */
	public record ObjectToDelete(String binding, String bucket, String key) implements ObjectInBucket {
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Class<ObjectToDelete> payloadType() {
		return ObjectToDelete.class;
	}

	@Override
	public int maxBatchSize() {
		return ObjectDeletion.MAX_KEYS_PER_REQUEST;
	}

	@Override
	ClaimedDeletion.Outcome remove(ClaimedDeletion deletion, S3Bucket bucket, List<ObjectToDelete> objects) {
		return deletion.delete(bucket, objects.stream().map(ObjectToDelete::key).distinct().toList());
	}

}
