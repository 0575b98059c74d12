package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Mutation;
import io.mutationhooks.Mutator;
import io.mutationhooks.Op;
import io.mutationhooks.core.InnermostHook;
import io.mutationhooks.core.PreparingHook;
import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.ObjectExistence.Outcome;
import io.mutationhooks.s3.ObjectExistence.Status;
import io.mutationhooks.s3.S3Bucket.S3Object;

/**
 * Keeps entities and S3 objects in step. Before a create, or an update that changes a reference, the object must
 * exist (or the write is refused); after a delete, or an update that replaces a reference, commits, the objects no
 * longer referred to go to the {@link S3CleanupQueue}, inside the transaction, which deletes them once it commits.
 * A rollback deletes nothing. It runs innermost of all hooks, so it checks what is really written.
 */
public final class S3SyncHook implements EntityHook, InnermostHook, PreparingHook, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(S3SyncHook.class);

	private final S3References references;

	private final ObjectExistence existence;

	private final S3CleanupQueue cleanup;

	public S3SyncHook(S3References references, ObjectExistence existence, S3CleanupQueue cleanup) {
		this.references = Objects.requireNonNull(references, "references must not be null");
		this.existence = Objects.requireNonNull(existence, "existence must not be null");
		this.cleanup = Objects.requireNonNull(cleanup, "cleanup must not be null");
	}

	@Override
	public Class<?> entityType() {
		return Object.class;
	}

	@Override
	public boolean appliesTo(Class<?> type) {
		return !this.references.of(type).isEmpty();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public Mutator apply(Mutator next) {
		return mutation -> {
			List<ReferenceField> fields = this.references.of(mutation.type());
			if (fields.isEmpty() || !mutation.rowsKnown()) {
				// A query write: its rows, and so their references, are not known (start-up warns about it).
				return next.mutate(mutation);
			}
			return switch (mutation.op()) {
				case CREATE -> {
					verify(mutation, fields);
					yield next.mutate(mutation);
				}
				case UPDATE_ONE -> update(mutation, fields, next);
				case DELETE_ONE, DELETE -> delete(mutation, fields, next);
				case UPDATE -> next.mutate(mutation);
			};
		};
	}

	private Object update(Mutation<?> mutation, List<ReferenceField> fields, Mutator next) throws Exception {
		Object old = mutation.oldEntity();
		verify(mutation, fields);
		Object written = next.mutate(mutation);
		Map<S3Bucket, Set<String>> replaced = new LinkedHashMap<>();
		for (ReferenceField field : fields) {
			String oldKey = cleanableKey(field, field.valueOf(old));
			if (oldKey != null && !oldKey.equals(keyOrNull(field, field.valueOf(written)))) {
				replaced.computeIfAbsent(field.bucket(), bucket -> new LinkedHashSet<>()).add(oldKey);
			}
		}
		cleanUpAfterCommit(mutation, replaced);
		return written;
	}

	private Object delete(Mutation<?> mutation, List<ReferenceField> fields, Mutator next) throws Exception {
		if (!mutation.rowsKnown()) {
			return next.mutate(mutation);
		}
		Map<S3Bucket, Set<String>> orphaned = new LinkedHashMap<>();
		for (Object old : mutation.oldEntities()) {
			for (ReferenceField field : fields) {
				String key = cleanableKey(field, field.valueOf(old));
				if (key != null) {
					orphaned.computeIfAbsent(field.bucket(), bucket -> new LinkedHashSet<>()).add(key);
				}
			}
		}
		Object result = next.mutate(mutation);
		cleanUpAfterCommit(mutation, orphaned);
		return result;
	}

	private void cleanUpAfterCommit(Mutation<?> mutation, Map<S3Bucket, Set<String>> keys) {
		keys.forEach((bucket, bucketKeys) -> this.cleanup.enqueue(bucket, bucketKeys, mutation.transaction()));
	}

	private void verify(Mutation<?> mutation, List<ReferenceField> fields) {
		Object old = mutation.op() == Op.UPDATE_ONE ? mutation.oldEntity() : null;
		Map<S3Object, ReferenceField> toCheck = new LinkedHashMap<>();
		for (ReferenceField field : fields) {
			String reference = field.valueOf(mutation.entity());
			if (reference == null || old != null && reference.equals(field.valueOf(old))) {
				continue;
			}
			String key = validKey(mutation, field, reference);
			if (field.bucket().verifyOnWrite()) {
				toCheck.put(field.bucket().object(key), field);
			}
		}
		if (toCheck.isEmpty()) {
			return;
		}
		Map<S3Object, Outcome> known = known(mutation);
		// Only an answer that the object exists is taken as it is: one that was missing may have been uploaded since
		// (by a hook before this one, say), and a failed check may pass now.
		List<S3Object> unknown = toCheck.keySet()
			.stream()
			.filter(object -> !known.containsKey(object) || known.get(object).status() != Status.EXISTS)
			.toList();
		Map<S3Object, Outcome> outcomes = new LinkedHashMap<>(known);
		outcomes.putAll(this.existence.checkAll(unknown));
		toCheck.forEach((object, field) -> {
			Outcome outcome = outcomes.get(object);
			if (outcome.status() == Status.MISSING) {
				throw new S3ObjectMissingException(mutation.type(), mutation.op(), field.name(), object.bucket(),
						object.key());
			}
			if (outcome.status() == Status.UNKNOWN) {
				throw new S3CheckFailedException(mutation.type(), mutation.op(), field.name(), object.bucket(),
						object.key(), outcome.failure());
			}
		});
	}

	/**
	 * Runs the existence checks of the references of created entities before their transaction takes a connection,
	 * so a slow S3 does not hold one; {@link #verify} then finds the answers. Nothing is refused here: a hook before
	 * this one may still change what is written.
	 */
	@Override
	public void prepareCreates(Class<?> type, List<?> entities, Map<Object, Object> attributes) {
		List<ReferenceField> fields = this.references.of(type);
		if (fields.isEmpty()) {
			return;
		}
		Checked checked = checked(attributes);
		checked.check(objectsOf(entities, fields), this.existence);
	}

	/**
	 * What is known of the objects of the call: checked before the transaction, or, for the first mutation of a
	 * saveAll-like call, every reference of the call's entities at once, so that a batch costs about one round trip
	 * per {@code parallelism} objects instead of one per object.
	 */
	private Map<S3Object, Outcome> known(Mutation<?> mutation) {
		List<?> batch = mutation.batch();
		if (batch.size() < 2 && mutation.batchAttributes().isEmpty()) {
			return Map.of();
		}
		Checked checked = checked(mutation.batchAttributes());
		if (batch.size() >= 2 && !checked.wholeBatch) {
			checked.wholeBatch = true;
			checked.check(objectsOf(batch, this.references.of(mutation.type())), this.existence);
		}
		return checked.outcomes;
	}

	private Checked checked(Map<Object, Object> attributes) {
		return (Checked) attributes.computeIfAbsent(this, key -> new Checked());
	}

	private static List<S3Object> objectsOf(List<?> entities, List<ReferenceField> fields) {
		List<S3Object> objects = new ArrayList<>();
		for (Object entity : entities) {
			for (ReferenceField field : fields) {
				String objectKey = keyOrNull(field, field.valueOf(entity));
				if (objectKey != null && field.bucket().verifyOnWrite()) {
					objects.add(field.bucket().object(objectKey));
				}
			}
		}
		return objects;
	}

	/** The existence of objects checked for one call, shared by its mutations. */
	private static final class Checked {

		private final Map<S3Object, Outcome> outcomes = new LinkedHashMap<>();

		private boolean wholeBatch;

		void check(List<S3Object> objects, ObjectExistence existence) {
			List<S3Object> unknown = objects.stream().filter(object -> !this.outcomes.containsKey(object)).toList();
			if (!unknown.isEmpty()) {
				this.outcomes.putAll(existence.checkAll(unknown));
			}
		}

	}

	private static String validKey(Mutation<?> mutation, ReferenceField field, String reference) {
		try {
			return ObjectKeys.keyOf(reference, field.bucket());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidS3ReferenceException(mutation.type(), mutation.op(), field.name(), field.bucket().name(),
					reference, ex.getMessage());
		}
	}

	private static String keyOrNull(ReferenceField field, String reference) {
		if (reference == null) {
			return null;
		}
		try {
			return ObjectKeys.keyOf(reference, field.bucket());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** The key to delete for a stored reference, or {@literal null}: invalid stored references are never deleted. */
	private static String cleanableKey(ReferenceField field, String reference) {
		if (reference == null || !field.bucket().cleanup()) {
			return null;
		}
		String key = keyOrNull(field, reference);
		if (key == null) {
			logger.warn("Not deleting the object of {} '{}': it is not a valid reference to bucket {}", field,
					SafeText.quote(reference), field.bucket().name());
		}
		return key;
	}

}
