package io.mutationhooks.s3;

import java.util.Collection;
import java.util.Objects;

import io.mutationhooks.TransactionHooks;
import io.mutationhooks.effects.Effects;

/**
 * The default {@link S3CleanupQueue}: records each key as a {@link S3DeleteEffect} in the write's own transaction, so
 * the delete happens after commit, is retried through outages, survives a crash, and runs on one instance at a time.
 * Keys of one transaction are sent together, up to 1000 a request.
 */
public final class DurableS3Cleanup implements S3CleanupQueue {

	private final Effects effects;

	public DurableS3Cleanup(Effects effects) {
		this.effects = Objects.requireNonNull(effects, "effects must not be null");
	}

	@Override
	public void enqueue(S3Bucket bucket, Collection<String> keys, TransactionHooks transaction) {
		for (String key : keys) {
			this.effects.request(S3DeleteEffect.NAME, new S3DeleteEffect.ObjectToDelete(bucket.id(), bucket.name(), key));
		}
	}

}
