package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.S3Bucket.S3Object;

/**
 * Checks with HeadObject whether objects exist, many at once with bounded parallelism. "Missing" (404) and "could
 * not check" (timeouts, access denied, server errors) are told apart. Every request is bounded in time by the
 * request overrides it is given, so that a write waiting for S3 does not hold its database connection for long.
 */
public final class ObjectExistence implements AutoCloseable {

	private final S3Client s3;

	private final int parallelism;

	private final AwsRequestOverrideConfiguration requestOverrides;

	private volatile ExecutorService executor;

	/**
	 * @param s3 the client
	 * @param parallelism how many HeadObject requests may run at once, at least 1
	 * @param requestOverrides applied to every HeadObject and HeadBucket request, to bound it in time with
	 * {@link AwsRequestOverrideConfiguration.Builder#apiCallAttemptTimeout(java.time.Duration) apiCallAttemptTimeout}
	 * and {@link AwsRequestOverrideConfiguration.Builder#apiCallTimeout(java.time.Duration) apiCallTimeout} without
	 * changing the client
	 */
	public ObjectExistence(S3Client s3, int parallelism, AwsRequestOverrideConfiguration requestOverrides) {
		if (parallelism < 1) {
			throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
		}
		this.s3 = s3;
		this.parallelism = parallelism;
		this.requestOverrides = Objects.requireNonNull(requestOverrides, "requestOverrides must not be null");
	}

	/** Checks one object on the calling thread. */
	public Outcome check(S3Object object) {
		try {
			this.s3.headObject(request -> request.bucket(object.bucket())
				.key(object.key())
				.overrideConfiguration(this.requestOverrides));
			return Outcome.EXISTS;
		}
		catch (NoSuchKeyException ex) {
			return missingOrNoBucket(object);
		}
		catch (S3Exception ex) {
			return ex.statusCode() == 404 ? missingOrNoBucket(object) : Outcome.unknown(ex);
		}
		catch (SdkException ex) {
			return Outcome.unknown(ex);
		}
	}

	/** A HeadObject 404 says nothing of the bucket: a wrong bucket name is not a missing object. */
	private Outcome missingOrNoBucket(S3Object object) {
		try {
			this.s3.headBucket(request -> request.bucket(object.bucket()).overrideConfiguration(this.requestOverrides));
			return Outcome.MISSING;
		}
		catch (SdkException ex) {
			return Outcome.unknown(new IllegalStateException("bucket '" + SafeText.quote(object.bucket())
					+ "' cannot be read (does it exist, and may these credentials list it?): "
					+ SafeText.quote(ex.getMessage()), ex));
		}
	}

	/** Checks every object, up to the configured parallelism at once. */
	public Map<S3Object, Outcome> checkAll(Collection<S3Object> objects) {
		List<S3Object> distinct = new ArrayList<>(new LinkedHashSet<>(objects));
		Map<S3Object, Outcome> outcomes = new LinkedHashMap<>();
		if (this.parallelism == 1 || distinct.size() < 2) {
			distinct.forEach(object -> outcomes.put(object, check(object)));
			return outcomes;
		}
		List<CompletableFuture<Outcome>> futures = new ArrayList<>(distinct.size());
		for (S3Object object : distinct) {
			futures.add(CompletableFuture.supplyAsync(() -> check(object), executor()));
		}
		for (int i = 0; i < distinct.size(); i++) {
			outcomes.put(distinct.get(i), futures.get(i).join());
		}
		return outcomes;
	}

	/** How many requests run at once. */
	public int parallelism() {
		return this.parallelism;
	}

	// Threads only for applications that check batches.
	private ExecutorService executor() {
		ExecutorService executor = this.executor;
		if (executor == null) {
			synchronized (this) {
				if (this.executor == null) {
					this.executor = Executors.newFixedThreadPool(this.parallelism, daemonThreads());
				}
				executor = this.executor;
			}
		}
		return executor;
	}

	@Override
	public synchronized void close() {
		if (this.executor != null) {
			this.executor.shutdown();
		}
	}

	private static ThreadFactory daemonThreads() {
		AtomicInteger count = new AtomicInteger();
		return task -> {
			Thread thread = new Thread(task, "mutation-hooks-s3-check-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Whether an object exists.
	 *
	 * @param status the answer
	 * @param failure why S3 could not answer, for {@link Status#UNKNOWN}
	 */
	public record Outcome(Status status, Throwable failure) {

		static final Outcome EXISTS = new Outcome(Status.EXISTS, null);

		static final Outcome MISSING = new Outcome(Status.MISSING, null);

		static Outcome unknown(Throwable failure) {
			return new Outcome(Status.UNKNOWN, failure);
		}

	}

	/** What S3 said about an object. */
	public enum Status {

		/** The object exists. */
		EXISTS,

		/** S3 answered that there is no such object. */
		MISSING,

		/** S3 could not be asked or did not answer. */
		UNKNOWN

	}

}
