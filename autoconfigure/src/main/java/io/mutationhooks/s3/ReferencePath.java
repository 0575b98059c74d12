package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.util.ObjectUtils;

/**
 * Where in an aggregate a reference field is: on the root ({@code avatarUrl}), or on an entity or embedded value
 * inside it, reached through the properties {@code steps} ({@code photos.objectKey}). A path through collections and
 * maps holds one reference per element, so an aggregate holds any number of references on one path.
 *
 * @param rootType the aggregate root type
 * @param path the property names from the root to the field, dot-separated: the name refusals and leases use
 * @param steps the properties leading from the root to the entity declaring the field, none for a root field
 * @param field the reference field
 */
public record ReferencePath(Class<?> rootType, String path, List<RelationalPersistentProperty> steps,
		ReferenceField field) {

	public ReferencePath {
		Objects.requireNonNull(rootType, "rootType must not be null");
		Objects.requireNonNull(field, "field must not be null");
		steps = List.copyOf(steps);
	}

	/** A field of the root itself, named as before aggregates were walked: by its field name. */
	static ReferencePath ofRoot(Class<?> rootType, ReferenceField field) {
		return new ReferencePath(rootType, field.name(), List.of(), field);
	}

	/** The bucket the references on this path point into. */
	public S3Bucket bucket() {
		return this.field.bucket();
	}

	/** Whether the field is on the root rather than inside the aggregate. */
	public boolean onRoot() {
		return this.steps.isEmpty();
	}

	/** The references {@code aggregate} holds on this path, in its order, {@literal null}s left out. */
	public List<String> valuesIn(Object aggregate) {
		List<Object> owners = new ArrayList<>();
		if (aggregate != null) {
			owners.add(aggregate);
		}
		for (RelationalPersistentProperty step : this.steps) {
			List<Object> next = new ArrayList<>();
			for (Object owner : owners) {
				addElements(step.getOwner().getPropertyAccessor(owner).getProperty(step), next);
			}
			owners = next;
		}
		List<String> values = new ArrayList<>(owners.size());
		for (Object owner : owners) {
			String value = this.field.valueOf(owner);
			if (value != null) {
				values.add(value);
			}
		}
		return values;
	}

	/** One owner for a single value, one per element for a collection, array or map (its values). */
	private static void addElements(Object value, List<Object> owners) {
		if (value == null) {
			return;
		}
		if (value instanceof Map<?, ?> map) {
			map.values().stream().filter(Objects::nonNull).forEach(owners::add);
		}
		else if (value instanceof Collection<?> collection) {
			collection.stream().filter(Objects::nonNull).forEach(owners::add);
		}
		else if (value.getClass().isArray()) {
			for (Object element : ObjectUtils.toObjectArray(value)) {
				if (element != null) {
					owners.add(element);
				}
			}
		}
		else {
			owners.add(value);
		}
	}

	/** {@code Album.photos.objectKey -> avatars}; for a root field the same as {@link ReferenceField#toString()}. */
	@Override
	public String toString() {
		return this.rootType.getSimpleName() + "." + this.path + " -> " + this.field.bucket().id();
	}

}
