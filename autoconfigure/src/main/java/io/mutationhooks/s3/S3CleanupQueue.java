package io.mutationhooks.s3;

import java.util.Collection;

/**
 * Deletes objects that a committed write stopped referring to. The S3 sync hook hands keys over after commit; an
 * implementation decides how they are deleted, retried and, for a durable one, kept across restarts.
 */
@FunctionalInterface
public interface S3CleanupQueue {

	/**
	 * Deletes {@code keys} from {@code bucket} eventually, skipping any key a row still refers to.
	 * @param bucket the bucket
	 * @param keys validated keys of that bucket
	 */
	void enqueue(S3Bucket bucket, Collection<String> keys);

}
