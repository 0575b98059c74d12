package io.mutationhooks.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.mutationhooks.s3.UnknownS3BucketException;

/** Turns an {@code @S3Reference} naming a bucket that is not configured into Boot's start-up failure report. */
class UnknownS3BucketFailureAnalyzer extends AbstractFailureAnalyzer<UnknownS3BucketException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownS3BucketException cause) {
		String reference = cause.entityType().getName() + "." + cause.field();
		String description = "@S3Reference(bucket = \"" + cause.bucket() + "\") on " + reference
				+ " names a bucket that is not configured. Configured buckets (" + S3SyncProperties.PREFIX
				+ ".buckets.*): " + (cause.configuredBuckets().isEmpty() ? "none" : cause.configuredBuckets());
		String action = "Configure the bucket, as in " + S3SyncProperties.PREFIX + ".buckets." + cause.bucket()
				+ ".name=<its name in S3>, or name one of the configured buckets in the annotation on " + reference
				+ ".";
		return new FailureAnalysis(description, action, cause);
	}

}
