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
 * What the effects that take objects out of a bucket share ({@link S3DeleteEffect}, {@link S3QuarantineEffect}):
 * payloads grouped by bucket, each group claimed and removed in one round of {@link ClaimedDeletion}, and each key's
 * outcome turned into the effect's failures: a postponed key is retried, a failed key retried or parked on its own,
 * a key a row refers to again forgotten.
 * @param <P> the payload, naming a bucket binding and a key
 */
abstract class ClaimedRemovalEffect<P extends ClaimedRemovalEffect.ObjectInBucket> implements EffectHandler<P> {

	private final S3References references;

	private final ClaimedDeletion deletion;

	private final String action;

	/**
	 * @param references the buckets and the fields that refer to them
	 * @param deletion claims keys, then deletes those the claim allows
	 * @param action what the effect does to an object, for messages: "delete", "quarantine"
	 */
	ClaimedRemovalEffect(S3References references, ClaimedDeletion deletion, String action) {
		this.references = Objects.requireNonNull(references, "references must not be null");
		this.deletion = deletion;
		this.action = action;
	}

	/** What a payload of these effects names. */
	interface ObjectInBucket {

		/** @return the bucket's name in configuration ({@code mutation-hooks.s3.buckets.<binding>}) */
		String binding();

		/** @return the key */
		String key();

	}

	/** Claims the keys of {@code payloads}, all in {@code bucket}, and removes those the claim allows. */
	abstract ClaimedDeletion.Outcome remove(ClaimedDeletion deletion, S3Bucket bucket, List<P> payloads);

	@Override
	public final void handle(List<P> payloads) {
		Map<Object, Throwable> failures = new IdentityHashMap<>();
		Map<String, List<P>> byBinding = new LinkedHashMap<>();
		payloads.forEach(payload -> byBinding.computeIfAbsent(payload.binding(), binding -> new ArrayList<>())
			.add(payload));
		byBinding.forEach((binding, inBucket) -> {
			S3Bucket bucket = this.references.buckets().get(binding);
			if (bucket == null) {
				PermanentEffectFailure unknown = new PermanentEffectFailure("No bucket is configured as "
						+ SafeText.quote(binding) + " (mutation-hooks.s3.buckets." + binding + ") any more");
				inBucket.forEach(payload -> failures.put(payload, unknown));
				return;
			}
			if (!bucket.cleanup()) {
				// Its writes may not lease what they refer to, so a delete could take an object a write is about to
				// commit a reference to. Retried: in a rolling deploy that switches cleanup on, an instance not yet
				// deployed may run it; parked after its attempts if cleanup stays off.
				IllegalStateException off = new IllegalStateException("The cleanup of bucket "
						+ SafeText.quote(binding) + " is off here (mutation-hooks.s3.buckets." + binding
						+ ".cleanup=false), so its writes may not lease the objects they refer to: its objects are not "
						+ this.action + "d");
				inBucket.forEach(payload -> failures.put(payload, off));
				return;
			}
			try {
				collectFailures(bucket, inBucket, remove(this.deletion, bucket, inBucket), failures);
			}
			catch (RuntimeException ex) {
				inBucket.forEach(payload -> failures.putIfAbsent(payload, ex));
			}
		});
		if (!failures.isEmpty()) {
			throw new PartialEffectFailure(failures);
		}
	}

	private void collectFailures(S3Bucket bucket, List<P> payloads, ClaimedDeletion.Outcome outcome,
			Map<Object, Throwable> failures) {
		Set<String> postponed = Set.copyOf(outcome.claim().postponed());
		Map<String, ObjectDeletion.Failure> failed = outcome.failed();
		for (P payload : payloads) {
			String key = payload.key();
			String where = SafeText.quote(bucket.object(key).toString());
			ObjectDeletion.Failure failure = failed.get(key);
			if (postponed.contains(key)) {
				failures.put(payload, new IllegalStateException("Postponed the " + this.action + " of " + where
						+ ": a write is checking that it exists"));
			}
			else if (failure != null) {
				String message = "Could not " + this.action + " " + where + ": " + failure.reason();
				failures.put(payload, failure.permanent() ? new PermanentEffectFailure(message)
						: new IllegalStateException(message));
			}
		}
	}

}
