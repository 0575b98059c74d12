package io.mutationhooks.s3;

import io.mutationhooks.Op;
import io.mutationhooks.core.SafeText;

/** The referenced object is not in the bucket, so the write is refused. */
public class S3ObjectMissingException extends S3ReferenceException {

	private final String key;

	public S3ObjectMissingException(Class<?> entityType, Op op, String field, String bucket, String key) {
		super(entityType, op, field, bucket, key,
				field + " refers to s3://" + bucket + "/" + SafeText.quote(key) + ", which does not exist", null);
		this.key = key;
	}

	/** The missing key. */
	public String getKey() {
		return this.key;
	}

}
