package io.mutationhooks.s3;

import io.mutationhooks.Op;
import io.mutationhooks.core.SafeText;

/** The reference is not a valid key of its bucket; refused before any S3 call. */
public class InvalidS3ReferenceException extends S3ReferenceException {

	public InvalidS3ReferenceException(Class<?> entityType, Op op, String field, String bucket, String reference,
			String problem) {
		super(entityType, op, field, bucket, reference, field + " '" + SafeText.quote(reference)
				+ "' is not a valid reference to bucket '" + bucket + "': " + problem, null);
	}

}
