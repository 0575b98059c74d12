package io.mutationhooks.s3;

import java.lang.reflect.Field;
import java.util.Objects;

/**
 * One entity field that refers to objects of a bucket.
 *
 * @param entityType the entity type declaring the field
 * @param name the field name
 * @param bucket the bucket the references point into
 * @param field the field, made readable
 */
public record ReferenceField(Class<?> entityType, String name, S3Bucket bucket, Field field) {

	public ReferenceField {
		Objects.requireNonNull(entityType, "entityType must not be null");
		Objects.requireNonNull(bucket, "bucket must not be null");
		if (field.getType() != String.class) {
			throw new IllegalStateException("S3 reference " + entityType.getSimpleName() + "." + name
					+ " must be a String, not " + field.getType().getSimpleName());
		}
		if (!field.trySetAccessible()) {
			throw new IllegalStateException("S3 reference " + entityType.getSimpleName() + "." + name
					+ " cannot be read: its module does not open " + entityType.getPackageName());
		}
	}

	/** The reference {@code entity} holds, or {@literal null}. */
	public String valueOf(Object entity) {
		if (entity == null) {
			return null;
		}
		try {
			return (String) this.field.get(entity);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("cannot read " + this, ex);
		}
	}

	@Override
	public String toString() {
		return this.entityType.getSimpleName() + "." + this.name + " -> " + this.bucket.id();
	}

}
