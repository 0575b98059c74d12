package io.mutationhooks.s3;

import java.util.Collection;
import java.util.Set;

/** Tells which keys some row still refers to, so that a shared object is never deleted. */
@FunctionalInterface
public interface StillReferenced {

	/**
	 * @param bucket the bucket
	 * @param keys keys about to be deleted
	 * @return those of {@code keys} that a row of any entity bound to the bucket still refers to
	 */
	Set<String> among(S3Bucket bucket, Collection<String> keys);

}
