package io.mutationhooks.s3;

import io.mutationhooks.Op;
import io.mutationhooks.core.SafeText;

/**
 * The referenced object existed when the write checked it, but the cleanup of another write, which stopped
 * referring to it, is deleting it or has deleted it since, so the write is refused at commit: committed, it would
 * refer to a missing object. Retry the write, uploading the object again first if it is gone.
 */
public class S3ObjectBeingDeletedException extends S3ReferenceException {

	private final String key;

	public S3ObjectBeingDeletedException(Class<?> entityType, Op op, String field, String bucket, String key) {
		super(entityType, op, field, bucket, key, field + " refers to s3://" + bucket + "/" + SafeText.quote(key)
				+ ", which is being deleted since no other row refers to it; retry the write, uploading the object "
				+ "again if it is gone", null);
		this.key = key;
	}

	/** The key being deleted. */
	public String getKey() {
		return this.key;
	}

}
