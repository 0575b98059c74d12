package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.effects.EffectHandler;
import io.mutationhooks.effects.PartialEffectFailure;
import io.mutationhooks.effects.PermanentEffectFailure;

/**
 * The durable effect that deletes objects no row refers to any more: up to 1000 keys a call, sent with DeleteObjects
 * per bucket. A key some row refers to again when it runs is kept. A key that fails is retried or parked on its own,
 * the other keys of the call being done.
 */
public final class S3DeleteEffect implements EffectHandler<S3DeleteEffect.ObjectToDelete> {

	/** The effect's name. */
	public static final String NAME = "mutation-hooks.s3-delete";

	private static final Logger logger = LoggerFactory.getLogger(S3DeleteEffect.class);

	private final S3References references;

	private final StillReferenced stillReferenced;

	private final ObjectDeletion deletion;

	public S3DeleteEffect(S3References references, StillReferenced stillReferenced, ObjectDeletion deletion) {
		this.references = Objects.requireNonNull(references, "references must not be null");
		this.stillReferenced = Objects.requireNonNull(stillReferenced, "stillReferenced must not be null");
		this.deletion = Objects.requireNonNull(deletion, "deletion must not be null");
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
		Set<String> referenced = this.stillReferenced.among(bucket, keys);
		if (!referenced.isEmpty() && logger.isDebugEnabled()) {
			logger.debug("Keeping {} key(s) of bucket {} that rows refer to again", referenced.size(),
					SafeText.quote(bucket.name()));
		}
		List<String> deletable = keys.stream().filter(key -> !referenced.contains(key)).toList();
		Map<String, ObjectDeletion.Failure> failed = this.deletion.delete(bucket, deletable);
		for (ObjectToDelete object : objects) {
			ObjectDeletion.Failure failure = failed.get(object.key());
			if (failure != null) {
				String message = "Could not delete " + SafeText.quote(bucket.object(object.key()).toString()) + ": "
						+ failure.reason();
				failures.put(object, failure.permanent() ? new PermanentEffectFailure(message)
						: new IllegalStateException(message));
			}
		}
	}

}
