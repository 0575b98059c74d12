package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.effects.EffectHandler;
import io.mutationhooks.effects.PartialEffectFailure;
import io.mutationhooks.effects.PermanentEffectFailure;

/**
 * The durable effect that deletes objects no row refers to any more: up to 1000 keys a call, sent with DeleteObjects
 * per bucket, each claimed first ({@link DeletionClaims}): a key some row refers to again when it runs is kept, and
 * a key a write is checking right now is retried later. A key that fails is retried or parked on its own, the other
 * keys of the call being done.
 */
public final class S3DeleteEffect implements EffectHandler<S3DeleteEffect.ObjectToDelete> {

	/** The effect's name. */
	public static final String NAME = "mutation-hooks.s3-delete";

	private final S3References references;

	private final ClaimedDeletion deletion;

	/**
	 * @param references the buckets and the fields that refer to them
	 * @param claims claims keys right before their delete, against writes checking them and rows referring to them
	 * @param deletion sends the DeleteObjects requests
	 */
	public S3DeleteEffect(S3References references, DeletionClaims claims, ObjectDeletion deletion) {
		this.references = Objects.requireNonNull(references, "references must not be null");
		this.deletion = new ClaimedDeletion(claims, deletion);
	}

	/**
	 * An object to delete, as stored.
	 * @param binding the bucket's name in configuration ({@code mutation-hooks.s3.buckets.<binding>})
	 * @param bucket the bucket's real name when the effect was requested, for operators reading the backlog
	 * @param key the key
	 */
	public record ObjectToDelete(String binding, String bucket, String key) {
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
	public void handle(List<ObjectToDelete> objects) {
		Map<Object, Throwable> failures = new IdentityHashMap<>();
		Map<String, List<ObjectToDelete>> byBinding = new LinkedHashMap<>();
		objects.forEach(object -> byBinding.computeIfAbsent(object.binding(), binding -> new ArrayList<>())
			.add(object));
		byBinding.forEach((binding, inBucket) -> {
			S3Bucket bucket = this.references.buckets().get(binding);
			if (bucket == null) {
				PermanentEffectFailure unknown = new PermanentEffectFailure("No bucket is configured as "
						+ SafeText.quote(binding) + " (mutation-hooks.s3.buckets." + binding + ") any more");
				inBucket.forEach(object -> failures.put(object, unknown));
				return;
			}
			try {
				delete(bucket, inBucket, failures);
			}
			catch (RuntimeException ex) {
				inBucket.forEach(object -> failures.putIfAbsent(object, ex));
			}
		});
		if (!failures.isEmpty()) {
			throw new PartialEffectFailure(failures);
		}
	}

	private void delete(S3Bucket bucket, List<ObjectToDelete> objects, Map<Object, Throwable> failures) {
		List<String> keys = objects.stream().map(ObjectToDelete::key).distinct().toList();
		ClaimedDeletion.Outcome outcome = this.deletion.delete(bucket, keys);
		Set<String> postponed = Set.copyOf(outcome.claim().postponed());
		Map<String, ObjectDeletion.Failure> failed = outcome.failed();
		for (ObjectToDelete object : objects) {
			String where = SafeText.quote(bucket.object(object.key()).toString());
			ObjectDeletion.Failure failure = failed.get(object.key());
			if (postponed.contains(object.key())) {
				failures.put(object, new IllegalStateException("Postponed the delete of " + where
						+ ": a write is checking that it exists"));
			}
			else if (failure != null) {
				String message = "Could not delete " + where + ": " + failure.reason();
				failures.put(object, failure.permanent() ? new PermanentEffectFailure(message)
						: new IllegalStateException(message));
			}
		}
	}

}
