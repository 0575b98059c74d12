package io.mutationhooks.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.mutationhooks.TransactionHooks;
import io.mutationhooks.s3.S3Bucket.S3Object;

/**
 * An in-process {@link S3CleanupQueue}: after commit, deletes on a background thread with DeleteObjects, up to 1000
 * keys a request, keys from many transactions coalesced per bucket, and retries what failed with exponential
 * backoff. Keys still referenced by a row are skipped. What is still queued at shutdown is logged, key by key, and
 * lost; a durable queue replaces this one.
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

	private final AwsRequestOverrideConfiguration requestOverrides;

	private final ScheduledThreadPoolExecutor scheduler;

	/** Keys handed over after commit and not yet taken by the background thread, by bucket. */
	private final Map<S3Bucket, Set<String>> waiting = new LinkedHashMap<>();

	/** Every key not yet deleted or given up, so that none is lost without a word at shutdown. */
	private final Set<S3Object> unfinished = ConcurrentHashMap.newKeySet();

	/**
	 * @param s3 the client
	 * @param stillReferenced which keys rows still refer to
	 * @param maxAttempts how often a key is tried before giving up, at least 1
	 * @param initialBackoff the wait before the first retry, doubled for each further one
	 * @param maxBackoff the longest wait between retries
	 * @param requestOverrides applied to every DeleteObjects request, to bound it in time with
	 * {@link AwsRequestOverrideConfiguration.Builder#apiCallAttemptTimeout(Duration) apiCallAttemptTimeout} and
	 * {@link AwsRequestOverrideConfiguration.Builder#apiCallTimeout(Duration) apiCallTimeout} without changing the
	 * client
	 */
	public RetryingS3Cleanup(S3Client s3, StillReferenced stillReferenced, int maxAttempts, Duration initialBackoff,
			Duration maxBackoff, AwsRequestOverrideConfiguration requestOverrides) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		this.s3 = s3;
		this.stillReferenced = stillReferenced;
		this.maxAttempts = maxAttempts;
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
		this.requestOverrides = Objects.requireNonNull(requestOverrides, "requestOverrides must not be null");
		this.scheduler = new ScheduledThreadPoolExecutor(1, task -> {
			Thread thread = new Thread(task, "mutation-hooks-s3-cleanup");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Keys of one Spring transaction are gathered and handed over at once after its commit, so many deletes in one
	 * transaction cost one DeleteObjects request per bucket and 1000 keys.
	 */
	@Override
	public void enqueue(S3Bucket bucket, Collection<String> keys, TransactionHooks transaction) {
		if (keys.isEmpty()) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			List<String> copy = List.copyOf(keys);
			transaction.afterCommit(() -> deleteSoon(bucket, copy));
			return;
		}
		@SuppressWarnings("unchecked")
		Map<S3Bucket, Set<String>> gathered = (Map<S3Bucket, Set<String>>) TransactionSynchronizationManager
			.getResource(this);
		if (gathered == null) {
			Map<S3Bucket, Set<String>> forThisTransaction = new LinkedHashMap<>();
			TransactionSynchronizationManager.bindResource(this, forThisTransaction);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					forThisTransaction.forEach(RetryingS3Cleanup.this::deleteSoon);
				}

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(RetryingS3Cleanup.this);
				}
			});
			gathered = forThisTransaction;
		}
		gathered.computeIfAbsent(bucket, key -> new LinkedHashSet<>()).addAll(keys);
	}

	/** Deletes {@code keys} on the background thread, together with whatever else is waiting for the bucket. */
	public void deleteSoon(S3Bucket bucket, Collection<String> keys) {
		boolean first;
		synchronized (this.waiting) {
			first = this.waiting.isEmpty();
			this.waiting.computeIfAbsent(bucket, key -> new LinkedHashSet<>()).addAll(keys);
		}
		keys.forEach(key -> this.unfinished.add(bucket.object(key)));
		if (first) {
			try {
				this.scheduler.execute(this::deleteWaiting);
			}
			catch (RejectedExecutionException ex) {
				keys.forEach(key -> logger.error("Not deleting s3://{}/{}: the cleanup queue is shut down", bucket.name(),
						key));
			}
		}
	}

	private void deleteWaiting() {
		Map<S3Bucket, Set<String>> batch;
		synchronized (this.waiting) {
			batch = new LinkedHashMap<>(this.waiting);
			this.waiting.clear();
		}
		batch.forEach((bucket, keys) -> attempt(bucket, List.copyOf(keys), 1));
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
		keys.stream().filter(key -> !failed.containsKey(key)).forEach(key -> this.unfinished.remove(bucket.object(key)));
		if (!failed.isEmpty()) {
			retryOrGiveUp(bucket, failed, attempt);
		}
	}

	private Map<String, String> delete(S3Bucket bucket, List<String> keys) {
		Map<String, String> failed = new LinkedHashMap<>();
		try {
			List<ObjectIdentifier> objects = new ArrayList<>(keys.size());
			keys.forEach(key -> objects.add(ObjectIdentifier.builder().key(key).build()));
			DeleteObjectsResponse response = this.s3.deleteObjects(request -> request.bucket(bucket.name())
				.delete(delete -> delete.objects(objects).quiet(true))
				.overrideConfiguration(this.requestOverrides));
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
			failed.forEach((key, reason) -> {
				logger.error("Gave up deleting s3://{}/{} after {} attempt(s): {}", bucket.name(), key, attempt, reason);
				this.unfinished.remove(bucket.object(key));
			});
			return;
		}
		Duration backoff = backoff(attempt);
		failed.forEach((key, reason) -> logger.warn("Could not delete s3://{}/{} (attempt {} of {}), retrying in {}: {}",
				bucket.name(), key, attempt, this.maxAttempts, backoff, reason));
		List<String> retry = List.copyOf(failed.keySet());
		try {
			this.scheduler.schedule(() -> attempt(bucket, retry, attempt + 1), backoff.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: close() logs what stays undone.
		}
	}

	Duration backoff(int attempt) {
		long millis = this.initialBackoff.toMillis() << Math.min(attempt - 1, 30);
		return millis <= 0 || millis > this.maxBackoff.toMillis() ? this.maxBackoff : Duration.ofMillis(millis);
	}

	/** Stops the background thread, giving work in hand a few seconds, and logs every key left undeleted. */
	@Override
	public void close() {
		this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
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
		this.unfinished.forEach(object -> logger.error("Not deleted before shutdown, left in S3: {}", object));
	}

}
