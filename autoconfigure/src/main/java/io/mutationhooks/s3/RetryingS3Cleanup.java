package io.mutationhooks.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.DeletionClaims.Claim;
import io.mutationhooks.s3.S3Bucket.S3Object;

/**
 * An in-process {@link S3CleanupQueue}: after commit, deletes on a background thread with DeleteObjects, up to 1000
 * keys a request, keys from many transactions coalesced per bucket, and retries what failed for now (server errors,
 * throttling, I/O, timeouts) with exponential backoff. What S3 refuses for good (a 4xx answer) is not retried: a key
 * it refuses is logged as an error and left in S3, and a request it refuses as a whole is split until the keys at
 * fault stand alone, so that the other keys are still deleted. Keys are claimed right before their delete
 * ({@link DeletionClaims}): keys a row still refers to are skipped, and keys a write is checking are retried later,
 * like failures. What is still queued at shutdown is logged, key by key, and lost; a durable queue replaces this one.
 */
public final class RetryingS3Cleanup implements S3CleanupQueue, AutoCloseable {

	/** S3's limit of keys in one DeleteObjects request. */
	static final int MAX_KEYS_PER_REQUEST = 1000;

	/** Error codes of S3 that may pass on a later try, although some come with a 4xx status. */
	private static final Set<String> TRANSIENT_ERROR_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
			"RequestTimeout", "OperationAborted", "Throttling", "ThrottlingException", "RequestLimitExceeded",
			"TooManyRequests", "ExpiredToken", "TokenRefreshRequired", "RequestTimeTooSkewed");

	/** Codes of a whole request refused for what one of its keys is; unknown codes count too, to be safe. */
	private static final Set<String> KEY_ERROR_CODES = Set.of("MalformedXML", "InvalidArgument", "KeyTooLongError",
			"InvalidRequest", "InvalidURI", "UnexpectedContent");

	/** How many keys a log line about many keys names, so that one line stays short. */
	private static final int MAX_KEYS_NAMED = 10;

	private static final Logger logger = LoggerFactory.getLogger(RetryingS3Cleanup.class);

	private final S3Client s3;

	private final DeletionClaims claims;

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
		this.s3 = s3;
		this.claims = Objects.requireNonNull(claims, "claims must not be null");
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
		try {
			List<String> distinct = keys.stream().distinct().toList();
			for (int from = 0; from < distinct.size(); from += MAX_KEYS_PER_REQUEST) {
				deleteClaimed(bucket, distinct.subList(from, Math.min(from + MAX_KEYS_PER_REQUEST, distinct.size())),
						failed);
			}
		}
		catch (Throwable ex) {
			// Not only RuntimeException: anything left to the executor would end in a future no one reads, and the
			// keys with it.
			if (!(ex instanceof RuntimeException)) {
				logger.error("Deleting {} failed unexpectedly; retrying them", describe(bucket, keys), ex);
			}
			keys.forEach(key -> failed.putIfAbsent(key, ex.toString()));
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
		Claim claim = this.claims.claimForDeletion(bucket, keys);
		if (!claim.stillReferenced().isEmpty() && logger.isDebugEnabled()) {
			logger.debug("Keeping {} that rows still refer to", describe(bucket, claim.stillReferenced()));
		}
		claim.postponed().forEach(key -> retry.put(key, "postponed: a write is checking that it exists"));
		if (claim.deletable().isEmpty()) {
			return;
		}
		Set<String> notDeleted = new HashSet<>();
		try {
			deleteOrSplit(bucket, claim.deletable(), retry, notDeleted);
		}
		finally {
			this.claims.deleted(claim, claim.deletable().stream().filter(key -> !notDeleted.contains(key)).toList());
		}
	}

	/**
	 * Deletes {@code keys} with one DeleteObjects request, adding to {@code retry} those that failed for now and giving
	 * up those S3 refuses for good; those S3 answered it did not delete go to {@code notDeleted} too. S3 does not say
	 * which key made it refuse a whole request (a key that XML cannot carry, say), so such a request is split in two,
	 * and so on, until the keys at fault stand alone.
	 */
	private void deleteOrSplit(S3Bucket bucket, List<String> keys, Map<String, String> retry, Set<String> notDeleted) {
		DeleteObjectsResponse response;
		try {
			List<ObjectIdentifier> objects = new ArrayList<>(keys.size());
			keys.forEach(key -> objects.add(ObjectIdentifier.builder().key(key).build()));
			response = this.s3.deleteObjects(request -> request.bucket(bucket.name())
				.delete(delete -> delete.objects(objects).quiet(true))
				.overrideConfiguration(this.requestOverrides));
		}
		catch (RuntimeException ex) {
			if (!refusedForGood(ex)) {
				// Whether S3 deleted them is not known: they count as deleted for the claim.
				keys.forEach(key -> retry.put(key, ex.toString()));
			}
			else if (keys.size() == 1 || !refusedForAKey(ex)) {
				notDeleted.addAll(keys);
				keys.forEach(key -> giveUp(bucket, key, ex.toString()));
			}
			else {
				int half = keys.size() / 2;
				deleteOrSplit(bucket, keys.subList(0, half), retry, notDeleted);
				deleteOrSplit(bucket, keys.subList(half, keys.size()), retry, notDeleted);
			}
			return;
		}
		for (S3Error error : response.errors()) {
			String reason = error.code() + ": " + error.message();
			if (error.key() == null) {
				logger.warn("S3 answered an error naming no key while deleting {}: {}", describe(bucket, keys),
						SafeText.quote(reason));
				continue;
			}
			notDeleted.add(error.key());
			if (error.code() == null || TRANSIENT_ERROR_CODES.contains(error.code())) {
				retry.put(error.key(), reason);
			}
			else {
				giveUp(bucket, error.key(), reason);
			}
		}
	}

	/**
	 * Whether a whole request was refused for what one of its keys is (a key XML cannot carry, or too long), so that
	 * splitting it finds the key; other refusals (access denied, no such bucket) hold for every key alike.
	 */
	private static boolean refusedForAKey(RuntimeException ex) {
		AwsErrorDetails details = ex instanceof AwsServiceException answer ? answer.awsErrorDetails() : null;
		String code = details != null ? details.errorCode() : null;
		return code == null || KEY_ERROR_CODES.contains(code);
	}

	/** Whether S3 answered with a 4xx that no retry can change; throttling, timeouts and 5xx may pass later. */
	private static boolean refusedForGood(RuntimeException ex) {
		if (!(ex instanceof AwsServiceException answer)) {
			return false;
		}
		int status = answer.statusCode();
		AwsErrorDetails details = answer.awsErrorDetails();
		String code = details != null ? details.errorCode() : null;
		return status >= 400 && status < 500 && status != 408 && status != 429 && !answer.isThrottlingException()
				&& !answer.isClockSkewException() && !TRANSIENT_ERROR_CODES.contains(code);
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
