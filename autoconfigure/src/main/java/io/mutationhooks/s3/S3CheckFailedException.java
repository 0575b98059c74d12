package io.mutationhooks.s3;

import io.mutationhooks.Op;
import io.mutationhooks.core.SafeText;

/**
 * S3 could not say whether the referenced object exists (timeout, access denied, server error), so the write is
 * refused: not the same as the object missing.
 */
public class S3CheckFailedException extends S3ReferenceException {

	private final String key;

	public S3CheckFailedException(Class<?> entityType, Op op, String field, String bucket, String key,
			Throwable cause) {
		super(entityType, op, field, bucket, key, "could not check that s3://" + bucket + "/" + SafeText.quote(key)
				+ " (" + field + ") exists: " + cause, cause);
		this.key = key;
	}

	/** The key that could not be checked. */
	public String getKey() {
		return this.key;
	}

}
