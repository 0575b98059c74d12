package io.mutationhooks.s3;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.S3Bucket.S3Object;

/**
 * An in-process {@link S3CleanupQueue}, an explicit opt-in ({@code mutation-hooks.s3.cleanup.queue=in-memory}) for
 * applications without db-scheduler: after commit, deletes on a background thread with DeleteObjects, up to 1000
 * keys a request, keys from many transactions coalesced per bucket, and retries what failed for now (server errors,
 * throttling, I/O, timeouts) with exponential backoff. What S3 refuses for good (a 4xx answer) is not retried: a key
 * it refuses is logged as an error and left in S3, and a request it refuses as a whole is split until the keys at
 * fault stand alone, so that the other keys are still deleted. Keys are claimed right before their delete
 * ({@link DeletionClaims}): keys a row still refers to are skipped, and keys a write is checking are retried later,
 * like failures. What is still queued at shutdown is logged, key by key, and lost; a durable queue replaces this one.
 */
public final class RetryingS3Cleanup implements S3CleanupQueue, AutoCloseable {

	/** S3's limit of keys in one DeleteObjects request. */
	static final int MAX_KEYS_PER_REQUEST = ObjectDeletion.MAX_KEYS_PER_REQUEST;

	/** How many keys a log line about many keys names, so that one line stays short. */
	private static final int MAX_KEYS_NAMED = 10;

	private static final Logger logger = LoggerFactory.getLogger(RetryingS3Cleanup.class);

	private final ClaimedDeletion deletion;

	private final int maxAttempts;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final ScheduledThreadPoolExecutor scheduler;

	/** Keys handed over after commit and not yet taken by the background thread, by bucket. */
	private final Map<S3Bucket, Set<String>> waiting = new LinkedHashMap<>();

	/** Every key not yet deleted or given up, so that none is lost without a word at shutdown. */
	private final Set<S3Object> unfinished = ConcurrentHashMap.newKeySet();

	/**
	 * @param s3 the client
	 * @param claims claims keys right before their delete, against writes that check them and rows that refer to them
	 * @param maxAttempts how often a key is tried before giving up, at least 1
	 * @param initialBackoff the wait before the first retry, doubled for each further one
	 * @param maxBackoff the longest wait between retries
	 * @param requestOverrides applied to every DeleteObjects request, to bound it in time with
	 * {@link AwsRequestOverrideConfiguration.Builder#apiCallAttemptTimeout(Duration) apiCallAttemptTimeout} and
	 * {@link AwsRequestOverrideConfiguration.Builder#apiCallTimeout(Duration) apiCallTimeout} without changing the
	 * client
	 */
	public RetryingS3Cleanup(S3Client s3, DeletionClaims claims, int maxAttempts, Duration initialBackoff,
			Duration maxBackoff, AwsRequestOverrideConfiguration requestOverrides) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		this.deletion = new ClaimedDeletion(claims, new ObjectDeletion(s3, requestOverrides));
		this.maxAttempts = maxAttempts;
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
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
				// A REQUIRES_NEW transaction suspends this one: its keys must gather apart and go with its own commit.
				@Override
				public void suspend() {
					TransactionSynchronizationManager.unbindResourceIfPossible(RetryingS3Cleanup.this);
				}

				@Override
				public void resume() {
					TransactionSynchronizationManager.bindResource(RetryingS3Cleanup.this, forThisTransaction);
				}

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

	/** Whether {@code key} of {@code bucket} is neither waiting, nor being deleted, nor waiting for a retry. */
	boolean finished(S3Bucket bucket, String key) {
		return !this.unfinished.contains(bucket.object(key));
	}

	/** Deletes {@code keys} on the background thread, together with whatever else is waiting for the bucket. */
	public void deleteSoon(S3Bucket bucket, Collection<String> keys) {
		// Unfinished before waiting: once waiting, the cleanup thread may finish a key at any moment.
		keys.forEach(key -> this.unfinished.add(bucket.object(key)));
		boolean first;
		synchronized (this.waiting) {
			first = this.waiting.isEmpty();
			this.waiting.computeIfAbsent(bucket, key -> new LinkedHashSet<>()).addAll(keys);
		}
		if (first) {
			try {
				this.scheduler.execute(this::deleteWaiting);
			}
			catch (RejectedExecutionException ex) {
				keys.forEach(key -> logger.error("Not deleting {}: the cleanup queue is shut down", quote(bucket, key)));
			}
		}
	}

	private void deleteWaiting() {
		Map<S3Bucket, Set<String>> batch;
		synchronized (this.waiting) {
			batch = new LinkedHashMap<>(this.waiting);
			this.waiting.clear();
		}
		batch.forEach((bucket, keys) -> {
			try {
				attempt(bucket, List.copyOf(keys), 1);
			}
			catch (Throwable ex) {
				// Past attempt's own handling (an Error while scheduling the retry): the keys stay unfinished, so the
				// shutdown names them too, and the other buckets still go.
				logger.error("Deleting {} failed unexpectedly and is not retried", describe(bucket, keys), ex);
			}
		});
	}

	private void attempt(S3Bucket bucket, List<String> keys, int attempt) {
		Map<String, String> failed = new LinkedHashMap<>();
		List<String> distinct = keys.stream().distinct().toList();
		for (int from = 0; from < distinct.size(); from += MAX_KEYS_PER_REQUEST) {
			List<String> chunk = distinct.subList(from, Math.min(from + MAX_KEYS_PER_REQUEST, distinct.size()));
			try {
				deleteClaimed(bucket, chunk, failed);
			}
			catch (Throwable ex) {
				// Not only RuntimeException: anything left to the executor would end in a future no one reads, and the
				// keys with it. Only this request's keys: those of the requests before it are done.
				if (!(ex instanceof RuntimeException)) {
					logger.error("Deleting {} failed unexpectedly; retrying them", describe(bucket, chunk), ex);
				}
				chunk.forEach(key -> failed.putIfAbsent(key, ex.toString()));
			}
		}
		keys.stream().filter(key -> !failed.containsKey(key)).forEach(key -> this.unfinished.remove(bucket.object(key)));
		if (!failed.isEmpty()) {
			retryOrGiveUp(bucket, failed, attempt);
		}
	}

	/**
	 * Claims {@code keys}, deletes those the claim allows and tells the claim which it deleted; keys a write is
	 * checking go to {@code retry}, like failures.
	 */
	private void deleteClaimed(S3Bucket bucket, List<String> keys, Map<String, String> retry) {
		ClaimedDeletion.Outcome outcome = this.deletion.delete(bucket, keys);
		outcome.claim().postponed().forEach(key -> retry.put(key, "postponed: a write is checking that it exists"));
		outcome.failed().forEach((key, failure) -> {
			if (failure.permanent()) {
				giveUp(bucket, key, failure.reason());
			}
			else {
				retry.put(key, failure.reason());
			}
		});
	}

	private void giveUp(S3Bucket bucket, String key, String reason) {
		logger.error("Gave up deleting {}: S3 refused it for good, so it is not retried and stays in S3: {}",
				quote(bucket, key), SafeText.quote(reason));
	}

	private void retryOrGiveUp(S3Bucket bucket, Map<String, String> failed, int attempt) {
		if (attempt >= this.maxAttempts) {
			failed.forEach((key, reason) -> {
				logger.error("Gave up deleting {} after {} attempt(s): {}", quote(bucket, key), attempt,
						SafeText.quote(reason));
				this.unfinished.remove(bucket.object(key));
			});
			return;
		}
		Duration backoff = backoff(attempt);
		failed.forEach((key, reason) -> logger.warn("Could not delete {} (attempt {} of {}), retrying in {}: {}",
				quote(bucket, key), attempt, this.maxAttempts, backoff, SafeText.quote(reason)));
		List<String> retry = List.copyOf(failed.keySet());
		try {
			this.scheduler.schedule(() -> attempt(bucket, retry, attempt + 1), backoff.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: close() logs what stays undone.
		}
	}

	/** {@code s3://bucket/key}, escaped and cut for a log line. */
	private static String quote(S3Bucket bucket, String key) {
		return SafeText.quote(bucket.object(key).toString());
	}

	/** How many keys, and the first {@value #MAX_KEYS_NAMED} of them, escaped and cut for a log line. */
	private static String describe(S3Bucket bucket, Collection<String> keys) {
		String named = keys.stream()
			.limit(MAX_KEYS_NAMED)
			.map(SafeText::quote)
			.collect(Collectors.joining(", ", "[", keys.size() > MAX_KEYS_NAMED
					? ", and " + (keys.size() - MAX_KEYS_NAMED) + " more]" : "]"));
		return keys.size() + " key(s) of bucket " + SafeText.quote(bucket.name()) + ": " + named;
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
		this.unfinished
			.forEach(object -> logger.error("Not deleted before shutdown, left in S3: {}", SafeText.quote(object.toString())));
	}

}
