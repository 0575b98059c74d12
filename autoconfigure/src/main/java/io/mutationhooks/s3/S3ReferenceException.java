package io.mutationhooks.s3;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;

/**
 * A write refused because of an S3 reference: the object is missing, could not be checked, or the reference is not
 * valid. Nothing of the write is kept.
 */
public abstract class S3ReferenceException extends MutationException {

	private final String field;

	private final String bucket;

	private final String reference;

	S3ReferenceException(Class<?> entityType, Op op, String field, String bucket, String reference, String reason,
			Throwable cause) {
		super(entityType, op, reason, cause);
		this.field = field;
		this.bucket = bucket;
		this.reference = reference;
	}

	/**
	 * The entity field holding the reference: its name on the aggregate root ({@code avatarUrl}), or its path from the
	 * root for one inside the aggregate ({@code photos.objectKey}).
	 */
	public String getField() {
		return this.field;
	}

	/** The real name of the bucket the field is bound to. */
	public String getBucket() {
		return this.bucket;
	}

	/** The reference as the field holds it. */
	public String getReference() {
		return this.reference;
	}

}
