package io.mutationhooks.s3;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} field of an entity as a reference to an object in an S3 bucket configured under
 * {@code mutation-hooks.s3.buckets.<name>}: the object must exist when the entity is created or the field changes,
 * and it is deleted after commit once no row refers to it. The value is a key, or {@code s3://bucket/key} for the
 * bucket the field is bound to.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface S3Reference {

	/** The name of the bucket in configuration, the {@code <name>} of {@code mutation-hooks.s3.buckets.<name>}. */
	String bucket();

}
