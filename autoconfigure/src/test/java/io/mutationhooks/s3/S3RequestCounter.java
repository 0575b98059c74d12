package io.mutationhooks.s3;

import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Watches the requests the S3 client sends: how many of each operation, and how many ran at once at most.
 */
public final class S3RequestCounter implements ExecutionInterceptor {

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private volatile Consumer<String> onSend = operation -> {
	};

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		this.counts.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
		int now = this.inFlight.incrementAndGet();
		this.maxInFlight.accumulateAndGet(now, Math::max);
		this.onSend.accept(operation);
	}

	/** Runs {@code action} with the operation name of each request as it is sent, until {@link #reset()}. */
	public void onSend(Consumer<String> action) {
		this.onSend = action;
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		this.inFlight.decrementAndGet();
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		this.inFlight.decrementAndGet();
	}

	/** How many requests of {@code operation} (such as "HeadObject") were sent. */
	public int count(String operation) {
		AtomicInteger count = this.counts.get(operation);
		return count == null ? 0 : count.get();
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
	}

}
