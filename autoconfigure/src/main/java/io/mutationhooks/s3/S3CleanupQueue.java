package io.mutationhooks.s3;

import java.util.Collection;

import io.mutationhooks.TransactionHooks;

/**
 * Deletes objects that a write stops referring to, once its transaction commits. The S3 sync hook hands keys over
 * inside the transaction, so a durable implementation can record them in that same transaction; the in-memory one
 * waits for the commit. An implementation decides how keys are deleted, retried and kept across restarts.
 */
@FunctionalInterface
public interface S3CleanupQueue {

	/**
	 * Deletes {@code keys} from {@code bucket} after {@code transaction} commits, eventually, skipping any key a row
	 * still refers to then. Nothing is deleted if the transaction rolls back.
	 * @param bucket the bucket
	 * @param keys validated keys of that bucket
	 * @param transaction the transaction of the write that stopped referring to them
	 */
	void enqueue(S3Bucket bucket, Collection<String> keys, TransactionHooks transaction);

}
