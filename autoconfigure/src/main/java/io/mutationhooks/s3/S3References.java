package io.mutationhooks.s3;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;

/**
 * Which entity fields refer to which buckets: fields annotated with {@link S3Reference}, and references declared
 * in configuration for entities that cannot be annotated; and, through the mapping context, where they are inside
 * each aggregate: on its root, or on the entities and embedded values it holds.
 */
public final class S3References {

	private static final Logger logger = LoggerFactory.getLogger(S3References.class);

	private final Map<String, S3Bucket> buckets;

	/** The bindings whose checked writes lease the objects they refer to ({@link #leasesChecked(S3Bucket)}). */
	private final Set<String> leasing;

	private final List<Declared> declared;

	private final RelationalMappingContext mappingContext;

	private final Map<Class<?>, List<ReferenceField>> resolved = new ConcurrentHashMap<>();

	private final Map<Class<?>, List<ReferencePath>> paths = new ConcurrentHashMap<>();

	/** Types held inside another aggregate: their references are found through it, not as roots of their own. */
	private final Set<Class<?>> heldInside = ConcurrentHashMap.newKeySet();

	/** The aggregate types resolved at start-up; {@literal null} until it ends. */
	private volatile Set<Class<?>> knownAtStartUp;

	private final Set<Class<?>> warnedAbout = ConcurrentHashMap.newKeySet();

	/**
	 * References on aggregate roots only: what is inside an aggregate is not looked at.
	 * @param buckets the configured buckets
	 * @param declared references declared in configuration
	 * @throws IllegalStateException if a declared reference names an unknown bucket or field
	 */
	public S3References(Collection<S3Bucket> buckets, List<Declared> declared) {
		this(buckets, declared, null);
	}

	/**
	 * @param buckets the configured buckets
	 * @param declared references declared in configuration
	 * @param mappingContext walks aggregates to the references inside them; {@literal null} for root fields only
	 * @throws IllegalStateException if a declared reference names an unknown bucket or field
	 */
	public S3References(Collection<S3Bucket> buckets, List<Declared> declared, RelationalMappingContext mappingContext) {
		this.mappingContext = mappingContext;
		Map<String, S3Bucket> byId = new LinkedHashMap<>();
		buckets.forEach(bucket -> byId.put(bucket.id(), bucket));
		this.buckets = Map.copyOf(byId);
		this.leasing = byId.values()
			.stream()
			.filter(bucket -> bucket.cleanedUpAmong(byId.values()))
			.map(S3Bucket::id)
			.collect(Collectors.toUnmodifiableSet());
		this.declared = List.copyOf(declared);
		for (Declared reference : this.declared) {
			fieldOf(reference.entityType(), reference.field(), bucket(reference.bucket(), reference.entityType(),
					reference.field()));
		}
	}

	/** The configured buckets by their name in configuration. */
	public Map<String, S3Bucket> buckets() {
		return this.buckets;
	}

	/**
	 * Whether a write that checks an object of {@code bucket} leases it first, so that no delete takes it before the
	 * write commits: where the binding cleans up, and also where it does not but another binding of the same real
	 * bucket, whose prefix overlaps its own, does, since that one's cleanup deletes the objects the two share.
	 */
	public boolean leasesChecked(S3Bucket bucket) {
		return this.leasing.contains(bucket.id());
	}

	/**
	 * The reference fields of {@code type}, resolved once.
	 * @throws UnknownS3BucketException if an annotation names an unknown bucket
	 * @throws IllegalStateException if a field is not a String
	 */
	public List<ReferenceField> of(Class<?> type) {
		List<ReferenceField> fields = this.resolved.get(type);
		return fields != null ? fields : this.resolved.computeIfAbsent(type, this::resolve);
	}

	/**
	 * Every reference an aggregate of {@code rootType} can hold: the fields of the root, then those of the entities
	 * (one-to-one, in collections and in maps) and embedded values inside it, at any depth. Resolved once.
	 * @throws UnknownS3BucketException if an annotation names an unknown bucket
	 * @throws IllegalStateException if a field is not a String
	 */
	public List<ReferencePath> pathsOf(Class<?> rootType) {
		List<ReferencePath> found = this.paths.get(rootType);
		return found != null ? found : this.paths.computeIfAbsent(rootType, this::walk);
	}

	/** Resolves the reference fields of {@code types} now, so that configuration mistakes fail start-up. */
	public void resolveAll(Collection<Class<?>> types) {
		types.forEach(this::of);
		types.forEach(this::pathsOf);
		this.declared.forEach(reference -> of(reference.entityType()));
	}

	/** Resolves the reference fields of every entity type {@code mappingContext} knows so far. */
	public void resolveAll(RelationalMappingContext mappingContext) {
		resolveAll(mappingContext.getPersistentEntities()
			.stream()
			.<Class<?>>map(RelationalPersistentEntity::getType)
			.toList());
	}

	/**
	 * Resolves what {@code mappingContext} knows at the end of start-up, for {@link #warnIfUnknownAtStartUp}.
	 */
	public void resolveAllAtStartUp(RelationalMappingContext mappingContext) {
		resolveAll(mappingContext);
		this.knownAtStartUp = Set.copyOf(this.paths.keySet());
	}

	/**
	 * Logs at WARN, once, that {@code rootType}, an aggregate type written now, has references but was not known at
	 * start-up: until now the cleanup's check that no row still refers to an object, and the orphan sweep, did not
	 * look at its table.
	 */
	public void warnIfUnknownAtStartUp(Class<?> rootType) {
		Set<Class<?>> known = this.knownAtStartUp;
		if (known == null || known.contains(rootType) || this.heldInside.contains(rootType)) {
			return;
		}
		List<ReferencePath> found = pathsOf(rootType);
		if (!found.isEmpty() && this.warnedAbout.add(rootType)) {
			logger.warn("{} refers to S3 objects ({}) but was not known to Spring Data JDBC when the application "
					+ "started: until now, the cleanup's check that no row still refers to an object, and the orphan "
					+ "sweep, did not look at its table, and may have deleted objects its rows refer to. Annotate it "
					+ "with @Table in a package Spring Boot scans for entities (the application's, or those of "
					+ "@EntityScan), or give it a repository", rootType.getName(),
					found.stream().map(ReferencePath::path).toList());
		}
	}

	/**
	 * Every known path, from the root of an aggregate, to a field that refers to objects of {@code bucket}. Types
	 * found inside another aggregate are not taken as roots: an embedded value has no table of its own, and the
	 * fields of a child entity are on the path from its aggregate.
	 */
	public List<ReferencePath> pathsReferencing(S3Bucket bucket) {
		List<ReferencePath> found = new ArrayList<>();
		this.paths.forEach((rootType, list) -> {
			if (!this.heldInside.contains(rootType)) {
				list.stream().filter(path -> path.bucket().name().equals(bucket.name())).forEach(found::add);
			}
		});
		return found;
	}

	/**
	 * Every known path, from the root of an aggregate, to a field bound to the bucket configured as {@code bucket}'s
	 * name in configuration: not those of other bindings of the same real bucket, which
	 * {@link #pathsReferencing(S3Bucket)} includes.
	 */
	public List<ReferencePath> pathsBoundTo(S3Bucket bucket) {
		return pathsReferencing(bucket).stream().filter(path -> path.bucket().id().equals(bucket.id())).toList();
	}

	private List<ReferencePath> walk(Class<?> rootType) {
		List<ReferencePath> found = new ArrayList<>();
		of(rootType).forEach(field -> found.add(ReferencePath.ofRoot(rootType, field)));
		if (this.mappingContext != null) {
			RelationalPersistentEntity<?> root = this.mappingContext.getPersistentEntity(rootType);
			if (root != null) {
				walk(rootType, root, new ArrayList<>(), new ArrayList<>(List.of(rootType)), found);
			}
		}
		return List.copyOf(found);
	}

	/**
	 * Adds the reference fields of the entities and embedded values {@code entity} holds, and of theirs. A type
	 * already on the way down is not entered again: Spring Data JDBC maps no aggregate that holds itself.
	 */
	private void walk(Class<?> rootType, RelationalPersistentEntity<?> entity, List<RelationalPersistentProperty> steps,
			List<Class<?>> onTheWay, List<ReferencePath> found) {
		for (RelationalPersistentProperty property : entity) {
			if (!property.isEntity() || property.isAssociation()) {
				continue;
			}
			Class<?> heldType = property.getActualType();
			RelationalPersistentEntity<?> held = this.mappingContext.getPersistentEntity(heldType);
			if (held == null || onTheWay.contains(heldType)) {
				continue;
			}
			this.heldInside.add(heldType);
			steps.add(property);
			onTheWay.add(heldType);
			String path = String.join(".", steps.stream().map(RelationalPersistentProperty::getName).toList());
			of(heldType).forEach(field -> found.add(new ReferencePath(rootType, path + "." + field.name(), steps,
					field)));
			walk(rootType, held, steps, onTheWay, found);
			onTheWay.remove(onTheWay.size() - 1);
			steps.remove(steps.size() - 1);
		}
	}

	private List<ReferenceField> resolve(Class<?> type) {
		List<ReferenceField> fields = new ArrayList<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				S3Reference annotation = field.getAnnotation(S3Reference.class);
				if (annotation != null) {
					fields.add(new ReferenceField(type, field.getName(),
							bucket(annotation.bucket(), type, field.getName()), field));
				}
			}
		}
		for (Declared reference : this.declared) {
			if (reference.entityType().isAssignableFrom(type)
					&& fields.stream().noneMatch(field -> field.name().equals(reference.field()))) {
				fields.add(fieldOf(type, reference.field(), bucket(reference.bucket(), type, reference.field())));
			}
		}
		return List.copyOf(fields);
	}

	private S3Bucket bucket(String id, Class<?> type, String field) {
		S3Bucket bucket = this.buckets.get(id);
		if (bucket == null) {
			throw new UnknownS3BucketException(type, field, id, this.buckets.keySet());
		}
		return bucket;
	}

	private static ReferenceField fieldOf(Class<?> type, String name, S3Bucket bucket) {
		Field field = findField(type, name);
		if (field == null) {
			throw new IllegalStateException("S3 reference " + type.getName() + "." + name + " names no field of "
					+ type.getSimpleName());
		}
		return new ReferenceField(type, name, bucket, field);
	}

	/** The field {@code name} of {@code type} or of one of its superclasses, or {@literal null} if none. */
	public static Field findField(Class<?> type, String name) {
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			try {
				return current.getDeclaredField(name);
			}
			catch (NoSuchFieldException ex) {
				// look in the superclass
			}
		}
		return null;
	}

	/**
	 * A reference declared in configuration.
	 *
	 * @param entityType the entity type
	 * @param field the field holding references
	 * @param bucket the bucket's name in configuration
	 */
	public record Declared(Class<?> entityType, String field, String bucket) {

		public Declared {
			Objects.requireNonNull(entityType, "entity must be set on every mutation-hooks.s3.references entry");
			if (field == null || field.isBlank()) {
				throw new IllegalStateException("field must be set on the mutation-hooks.s3.references entry for "
						+ entityType.getName());
			}
			if (bucket == null || bucket.isBlank()) {
				throw new IllegalStateException("bucket must be set on the mutation-hooks.s3.references entry for "
						+ entityType.getName() + "." + field);
			}
		}

	}

}
