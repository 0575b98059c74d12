package io.mutationhooks.s3;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Watches the requests the S3 client sends: how many of each operation, how many ran at once at most, and, key by
 * key, how often DeleteObjects tried to delete a key and how often S3 said it did.
 */
public final class S3RequestCounter implements ExecutionInterceptor {

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final Map<String, AtomicInteger> deleteAttempts = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> deletions = new ConcurrentHashMap<>();

	private volatile Consumer<String> onSend = operation -> {
	};

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		this.counts.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
		int now = this.inFlight.incrementAndGet();
		this.maxInFlight.accumulateAndGet(now, Math::max);
		if (context.request() instanceof DeleteObjectsRequest delete) {
			delete.delete().objects().forEach(object -> increment(this.deleteAttempts, object.key()));
		}
		this.onSend.accept(operation);
	}

	/** Runs {@code action} with the operation name of each request as it is sent, until {@link #reset()}. */
	public void onSend(Consumer<String> action) {
		this.onSend = action;
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		this.inFlight.decrementAndGet();
		if (context.request() instanceof DeleteObjectsRequest delete
				&& context.response() instanceof DeleteObjectsResponse response) {
			Set<String> failed = response.errors().stream().map(S3Error::key).collect(Collectors.toSet());
			delete.delete()
				.objects()
				.stream()
				.map(ObjectIdentifier::key)
				.filter(key -> !failed.contains(key))
				.forEach(key -> increment(this.deletions, key));
		}
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		this.inFlight.decrementAndGet();
	}

	/** How many requests of {@code operation} (such as "HeadObject") were sent. */
	public int count(String operation) {
		return count(this.counts, operation);
	}

	/** How many DeleteObjects calls named {@code key}, whatever became of them. */
	public int deleteAttempts(String key) {
		return count(this.deleteAttempts, key);
	}

	/** How many DeleteObjects calls S3 answered with {@code key} deleted. */
	public int timesDeleted(String key) {
		return count(this.deletions, key);
	}

	/** How many requests of any operation were sent. */
	public int total() {
		return this.counts.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	/** The most requests that were in flight at once. */
	public int maxInFlight() {
		return this.maxInFlight.get();
	}

	public void reset() {
		this.onSend = operation -> {
		};
		this.counts.clear();
		this.maxInFlight.set(0);
		this.deleteAttempts.clear();
		this.deletions.clear();
	}

	private static void increment(Map<String, AtomicInteger> counts, String key) {
		counts.computeIfAbsent(key, any -> new AtomicInteger()).incrementAndGet();
	}

	private static int count(Map<String, AtomicInteger> counts, String key) {
		AtomicInteger count = counts.get(key);
		return count == null ? 0 : count.get();
	}

}
