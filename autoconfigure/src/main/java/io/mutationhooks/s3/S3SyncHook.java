package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Mutation;
import io.mutationhooks.Mutator;
import io.mutationhooks.Op;
import io.mutationhooks.core.DefaultMutation;
import io.mutationhooks.core.DefaultMutation.WriteContext;
import io.mutationhooks.core.DescribedForType;
import io.mutationhooks.core.InnermostHook;
import io.mutationhooks.core.PreparingHook;
import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.KeyLeases.Lease;
import io.mutationhooks.s3.ObjectExistence.Outcome;
import io.mutationhooks.s3.ObjectExistence.Status;
import io.mutationhooks.s3.S3Bucket.S3Object;
import io.mutationhooks.s3.TransactionLeases.Referrer;

/**
 * Keeps entities and S3 objects in step. Before a create, or an update that changes a reference, the object must
 * exist (or the write is refused); after a delete, or an update that replaces a reference, commits, the objects no
 * longer referred to go to the {@link S3CleanupQueue}, inside the transaction, which deletes them once it commits.
 * The references are those of the whole aggregate ({@link S3References#pathsOf}): an update checks those its new
 * state holds and its stored state did not, and cleans up those its stored state held and its new state does not.
 * A rollback deletes nothing. It runs innermost of all hooks, so it checks what is really written. An object it
 * checks in a bucket that is cleaned up is leased first ({@link KeyLeases}), so that the cleanup of another write
 * cannot delete it unseen before this write commits.
 */
public final class S3SyncHook implements EntityHook, InnermostHook, PreparingHook, DescribedForType, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(S3SyncHook.class);

	private final S3References references;

	private final ObjectExistence existence;

	private final S3CleanupQueue cleanup;

	private final TransactionLeases leases;

	/**
	 * @param references the reference fields
	 * @param existence checks that objects exist
	 * @param cleanup deletes the objects writes stop referring to
	 * @param leases leases the objects checked, against the cleanup of other writes
	 */
	public S3SyncHook(S3References references, ObjectExistence existence, S3CleanupQueue cleanup, KeyLeases leases) {
		this.references = Objects.requireNonNull(references, "references must not be null");
		this.existence = Objects.requireNonNull(existence, "existence must not be null");
		this.cleanup = Objects.requireNonNull(cleanup, "cleanup must not be null");
		this.leases = new TransactionLeases(leases);
	}

	@Override
	public Class<?> entityType() {
		return Object.class;
	}

	/** Asked once per written type, when its chain is built: the first write of a type unknown at start-up warns. */
	@Override
	public boolean appliesTo(Class<?> type) {
		boolean applies = !this.references.pathsOf(type).isEmpty();
		if (applies) {
			this.references.warnIfUnknownAtStartUp(type);
		}
		return applies;
	}

	/**
	 * Names the fields it checks for {@code type} and their buckets: {@code S3SyncHook(User.avatarKey -> avatars)},
	 * {@code Album.photos.objectKey -> avatars} for one inside the aggregate.
	 */
	@Override
	public String describeFor(Class<?> type) {
		return "S3SyncHook(" + String.join(", ", this.references.pathsOf(type).stream().map(String::valueOf).toList())
				+ ")";
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public Mutator apply(Mutator next) {
		return mutation -> {
			List<ReferencePath> paths = this.references.pathsOf(mutation.type());
			if (paths.isEmpty() || !mutation.rowsKnown()) {
				// A query write: its rows, and so their references, are not known (start-up warns about it).
				return next.mutate(mutation);
			}
			return switch (mutation.op()) {
				case CREATE -> {
					verify(mutation, paths);
					yield next.mutate(mutation);
				}
				case UPDATE_ONE -> update(mutation, paths, next);
				case DELETE_ONE, DELETE -> delete(mutation, paths, next);
				case UPDATE -> next.mutate(mutation);
			};
		};
	}

	private Object update(Mutation<?> mutation, List<ReferencePath> paths, Mutator next) throws Exception {
		Object old = mutation.oldEntity();
		verify(mutation, paths);
		Object written = next.mutate(mutation);
		List<Referred> kept = referencesIn(written, paths);
		Set<Referred> unchanged = new HashSet<>(kept);
		Set<S3Object> stillReferred = new HashSet<>();
		for (Referred reference : kept) {
			String key = keyOrNull(reference.path(), reference.value());
			if (key != null) {
				stillReferred.add(reference.path().bucket().object(key));
			}
		}
		Map<S3Bucket, Set<String>> replaced = new LinkedHashMap<>();
		for (Referred reference : referencesIn(old, paths)) {
			if (unchanged.contains(reference)) {
				continue;
			}
			S3Bucket bucket = reference.path().bucket();
			String oldKey = cleanableKey(reference.path(), reference.value());
			if (oldKey != null && !stillReferred.contains(bucket.object(oldKey))) {
				replaced.computeIfAbsent(bucket, any -> new LinkedHashSet<>()).add(oldKey);
			}
		}
		cleanUpAfterCommit(mutation, replaced);
		return written;
	}

	private Object delete(Mutation<?> mutation, List<ReferencePath> paths, Mutator next) throws Exception {
		if (!mutation.rowsKnown()) {
			return next.mutate(mutation);
		}
		Map<S3Bucket, Set<String>> orphaned = new LinkedHashMap<>();
		for (Object old : mutation.oldEntities()) {
			for (Referred reference : referencesIn(old, paths)) {
				String key = cleanableKey(reference.path(), reference.value());
				if (key != null) {
					orphaned.computeIfAbsent(reference.path().bucket(), bucket -> new LinkedHashSet<>()).add(key);
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

	private void verify(Mutation<?> mutation, List<ReferencePath> paths) {
		Object old = mutation.op() == Op.UPDATE_ONE ? mutation.oldEntity() : null;
		Set<Referred> stored = old == null ? Set.of() : new HashSet<>(referencesIn(old, paths));
		Map<S3Object, ReferencePath> toCheck = new LinkedHashMap<>();
		for (Referred reference : referencesIn(mutation.entity(), paths)) {
			if (stored.contains(reference)) {
				continue;
			}
			ReferencePath path = reference.path();
			String key = validKey(mutation, path, reference.value());
			if (path.bucket().verifyOnWrite()) {
				toCheck.put(path.bucket().object(key), path);
			}
		}
		if (toCheck.isEmpty()) {
			// A hook before this one may have cleared a reference checked before the transaction.
			if (mutation.op() == Op.CREATE && mutation.batchAttributes().get(this) instanceof Checked checked) {
				adoptLeasesTakenAhead(mutation, checked);
			}
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
		Map<S3Object, Referrer> toLease = new LinkedHashMap<>();
		unknown.forEach(object -> toLease.put(object, referrer(mutation.type(), mutation.op(), toCheck.get(object))));
		this.leases.lease(leasable(toLease, toCheck), mutation);
		outcomes.putAll(this.existence.checkAll(unknown));
		toCheck.forEach((object, path) -> {
			Outcome outcome = outcomes.get(object);
			if (outcome.status() == Status.MISSING) {
				throw new S3ObjectMissingException(mutation.type(), mutation.op(), path.path(), object.bucket(),
						object.key());
			}
			if (outcome.status() == Status.UNKNOWN) {
				throw new S3CheckFailedException(mutation.type(), mutation.op(), path.path(), object.bucket(),
						object.key(), outcome.failure());
			}
		});
	}

	/**
	 * Runs the existence checks of the references of created entities before their transaction takes a connection,
	 * so a slow S3 does not hold one; {@link #verify} then finds the answers, and ties the leases taken here to the
	 * transaction. Nothing is refused here: a hook before this one may still change what is written.
	 */
	@Override
	public void prepareCreates(Class<?> type, List<?> entities, Map<Object, Object> attributes) {
		List<ReferencePath> paths = this.references.pathsOf(type);
		if (paths.isEmpty()) {
			return;
		}
		Checked checked = checked(attributes);
		Map<S3Object, ReferencePath> objects = checked.unchecked(objectsOf(entities, paths, entity -> null));
		Map<S3Object, Referrer> referred = new LinkedHashMap<>();
		objects.forEach((object, field) -> referred.put(object, referrer(type, Op.CREATE, field)));
		Map<S3Object, Referrer> toLease = leasable(referred, objects);
		Lease lease;
		try {
			lease = this.leases.leaseAhead(toLease.keySet());
		}
		catch (RuntimeException ex) {
			// Checked inside the transaction then, where a failure to lease refuses the write.
			return;
		}
		if (lease != null) {
			checked.leasedAhead.add(lease);
			checked.referrers.putAll(toLease);
		}
		checked.check(objects.keySet(), this.existence);
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
		adoptLeasesTakenAhead(mutation, checked);
		if (batch.size() >= 2 && !checked.wholeBatch) {
			checked.wholeBatch = true;
			Map<S3Object, ReferencePath> objects = checked
				.unchecked(objectsOf(batch, this.references.pathsOf(mutation.type()), storedStates(mutation)));
			Map<S3Object, Referrer> toLease = new LinkedHashMap<>();
			objects.forEach((object, field) -> toLease.put(object, referrer(mutation.type(), mutation.op(), field)));
			this.leases.lease(leasable(toLease, objects), mutation);
			checked.check(objects.keySet(), this.existence);
		}
		return checked.outcomes;
	}

	/** Ties the leases taken before the transaction to it, once, so that they end with it. */
	private void adoptLeasesTakenAhead(Mutation<?> mutation, Checked checked) {
		if (!checked.leasedAhead.isEmpty()) {
			List<Lease> leases = List.copyOf(checked.leasedAhead);
			checked.leasedAhead.clear();
			this.leases.adopt(leases, Map.copyOf(checked.referrers), mutation);
		}
	}

	private Checked checked(Map<Object, Object> attributes) {
		return (Checked) attributes.computeIfAbsent(this, key -> new Checked());
	}

	/**
	 * What the entities of the call of {@code mutation} replace: for each, its stored row if it updates one (read for
	 * the whole call at once), else {@literal null}.
	 */
	private static Function<Object, Object> storedStates(Mutation<?> mutation) {
		WriteContext<?> context = DefaultMutation.contextOf(mutation);
		return context != null ? context::storedStateOf : entity -> null;
	}

	/**
	 * The objects {@code entities} refer to that are checked, and the path of the first reference to each: every
	 * reference of an entity that is created, and those an update adds or changes.
	 * @param stored the stored aggregate each entity replaces, {@literal null} for one that is created
	 */
	private static Map<S3Object, ReferencePath> objectsOf(List<?> entities, List<ReferencePath> paths,
			Function<Object, Object> stored) {
		Map<S3Object, ReferencePath> objects = new LinkedHashMap<>();
		for (Object entity : entities) {
			Object old = stored.apply(entity);
			Set<Referred> unchanged = old == null ? Set.of() : new HashSet<>(referencesIn(old, paths));
			for (Referred reference : referencesIn(entity, paths)) {
				ReferencePath path = reference.path();
				String objectKey = unchanged.contains(reference) ? null : keyOrNull(path, reference.value());
				if (objectKey != null && path.bucket().verifyOnWrite()) {
					objects.putIfAbsent(path.bucket().object(objectKey), path);
				}
			}
		}
		return objects;
	}

	/**
	 * Every reference {@code aggregate} holds, on its root and inside it. One that an update leaves as it was (same
	 * path, same value) is equal to its stored self, so comparing these sets tells what an update adds and drops.
	 */
	private static List<Referred> referencesIn(Object aggregate, List<ReferencePath> paths) {
		List<Referred> found = new ArrayList<>();
		for (ReferencePath path : paths) {
			path.valuesIn(aggregate).forEach(value -> found.add(new Referred(path, value)));
		}
		return found;
	}

	/** A reference an aggregate holds, and where. */
	private record Referred(ReferencePath path, String value) {
	}

	/**
	 * Those of {@code objects} that must be leased before they are checked: objects that a cleanup may delete
	 * ({@link S3References#leasesChecked}). Where nothing is ever deleted, no cleanup can race the write, and the lease
	 * tables are not touched.
	 */
	private Map<S3Object, Referrer> leasable(Map<S3Object, Referrer> objects, Map<S3Object, ReferencePath> fields) {
		Map<S3Object, Referrer> leasable = new LinkedHashMap<>(objects);
		leasable.keySet().removeIf(object -> !this.references.leasesChecked(fields.get(object).bucket()));
		return leasable;
	}

	private static Referrer referrer(Class<?> type, Op op, ReferencePath path) {
		return new Referrer(type, op, path.path());
	}

	/** The existence of objects checked for one call, shared by its mutations, and the leases taken for them. */
	private static final class Checked {

		private final Map<S3Object, Outcome> outcomes = new LinkedHashMap<>();

		/** Leases taken before the transaction, not yet tied to it. */
		private final List<Lease> leasedAhead = new ArrayList<>();

		private final Map<S3Object, Referrer> referrers = new LinkedHashMap<>();

		private boolean wholeBatch;

		/** Those of {@code objects} not checked yet. */
		Map<S3Object, ReferencePath> unchecked(Map<S3Object, ReferencePath> objects) {
			Map<S3Object, ReferencePath> unchecked = new LinkedHashMap<>(objects);
			unchecked.keySet().removeAll(this.outcomes.keySet());
			return unchecked;
		}

		void check(Collection<S3Object> objects, ObjectExistence existence) {
			if (!objects.isEmpty()) {
				this.outcomes.putAll(existence.checkAll(objects));
			}
		}

	}

	private static String validKey(Mutation<?> mutation, ReferencePath field, String reference) {
		try {
			return ObjectKeys.keyOf(reference, field.bucket());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidS3ReferenceException(mutation.type(), mutation.op(), field.path(), field.bucket().name(),
					reference, ex.getMessage());
		}
	}

	private static String keyOrNull(ReferencePath field, String reference) {
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
	private static String cleanableKey(ReferencePath field, String reference) {
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
