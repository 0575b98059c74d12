package io.mutationhooks.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * An in-process {@link S3CleanupQueue}: deletes on a background thread with DeleteObjects, up to 1000 keys a
 * request, and retries what failed with exponential backoff. Keys still referenced by a row are skipped. What is
 * queued is lost on restart; a durable queue replaces this one.
 */
public final class RetryingS3Cleanup implements S3CleanupQueue, AutoCloseable {

	/** S3's limit of keys in one DeleteObjects request. */
	static final int MAX_KEYS_PER_REQUEST = 1000;

	private static final Logger logger = LoggerFactory.getLogger(RetryingS3Cleanup.class);

	private final S3Client s3;

	private final StillReferenced stillReferenced;

	private final int maxAttempts;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final ScheduledExecutorService scheduler;

	/**
	 * @param s3 the client
	 * @param stillReferenced which keys rows still refer to
	 * @param maxAttempts how often a key is tried before giving up, at least 1
	 * @param initialBackoff the wait before the first retry, doubled for each further one
	 * @param maxBackoff the longest wait between retries
	 */
	public RetryingS3Cleanup(S3Client s3, StillReferenced stillReferenced, int maxAttempts, Duration initialBackoff,
			Duration maxBackoff) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		this.s3 = s3;
		this.stillReferenced = stillReferenced;
		this.maxAttempts = maxAttempts;
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
		this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "mutation-hooks-s3-cleanup");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void enqueue(S3Bucket bucket, Collection<String> keys) {
		if (!keys.isEmpty()) {
			List<String> copy = List.copyOf(keys);
			this.scheduler.execute(() -> attempt(bucket, copy, 1));
		}
	}

	private void attempt(S3Bucket bucket, List<String> keys, int attempt) {
		Map<String, String> failed = new LinkedHashMap<>();
		try {
			Set<String> referenced = this.stillReferenced.among(bucket, keys);
			List<String> deletable = keys.stream().filter(key -> !referenced.contains(key)).distinct().toList();
			if (!referenced.isEmpty()) {
				logger.debug("Keeping {} object(s) of bucket {} that rows still refer to: {}", referenced.size(),
						bucket.name(), referenced);
			}
			for (int from = 0; from < deletable.size(); from += MAX_KEYS_PER_REQUEST) {
				List<String> chunk = deletable.subList(from, Math.min(from + MAX_KEYS_PER_REQUEST, deletable.size()));
				failed.putAll(delete(bucket, chunk));
			}
		}
		catch (RuntimeException ex) {
			keys.forEach(key -> failed.putIfAbsent(key, ex.toString()));
		}
		if (!failed.isEmpty()) {
			retryOrGiveUp(bucket, failed, attempt);
		}
	}

	private Map<String, String> delete(S3Bucket bucket, List<String> keys) {
		Map<String, String> failed = new LinkedHashMap<>();
		try {
			List<ObjectIdentifier> objects = new ArrayList<>(keys.size());
			keys.forEach(key -> objects.add(ObjectIdentifier.builder().key(key).build()));
			DeleteObjectsResponse response = this.s3.deleteObjects(
					request -> request.bucket(bucket.name()).delete(delete -> delete.objects(objects).quiet(true)));
			for (S3Error error : response.errors()) {
				failed.put(error.key(), error.code() + ": " + error.message());
			}
		}
		catch (RuntimeException ex) {
			keys.forEach(key -> failed.put(key, ex.toString()));
		}
		return failed;
	}

	private void retryOrGiveUp(S3Bucket bucket, Map<String, String> failed, int attempt) {
		if (attempt >= this.maxAttempts) {
			failed.forEach((key, reason) -> logger.error("Gave up deleting s3://{}/{} after {} attempt(s): {}",
					bucket.name(), key, attempt, reason));
			return;
		}
		Duration backoff = backoff(attempt);
		failed.forEach((key, reason) -> logger.warn("Could not delete s3://{}/{} (attempt {} of {}), retrying in {}: {}",
				bucket.name(), key, attempt, this.maxAttempts, backoff, reason));
		List<String> retry = List.copyOf(failed.keySet());
		this.scheduler.schedule(() -> attempt(bucket, retry, attempt + 1), backoff.toMillis(), TimeUnit.MILLISECONDS);
	}

	Duration backoff(int attempt) {
		long millis = this.initialBackoff.toMillis() << Math.min(attempt - 1, 30);
		return millis <= 0 || millis > this.maxBackoff.toMillis() ? this.maxBackoff : Duration.ofMillis(millis);
	}

	@Override
	public void close() {
		this.scheduler.shutdown();
		try {
			if (!this.scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
				this.scheduler.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.scheduler.shutdownNow();
		}
	}

}
