package io.mutationhooks.s3;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Watches the DeleteObjects requests the S3 client sends: how often S3 answered that it deleted each key, so that a
 * test can tell a key deleted once from one deleted twice.
 */
public final class S3DeletedKeys implements DeleteObjectsObserver {

	private final Map<String, AtomicInteger> deletions = new ConcurrentHashMap<>();

	private final AtomicInteger requests = new AtomicInteger();

	@Override
	public void answered(DeleteObjectsRequest request, DeleteObjectsResponse response) {
		this.requests.incrementAndGet();
		Set<String> failed = response.errors().stream().map(S3Error::key).collect(Collectors.toSet());
		request.delete()
			.objects()
			.stream()
			.map(ObjectIdentifier::key)
			.filter(key -> !failed.contains(key))
			.forEach(key -> this.deletions.computeIfAbsent(request.bucket() + "/" + key, name -> new AtomicInteger())
				.incrementAndGet());
	}

	/** How often each key was deleted, as {@code bucket/key}. */
	public Map<String, Integer> deletions() {
		return this.deletions.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> entry.getValue().get()));
	}

	/** How many DeleteObjects requests S3 answered. */
	public int requests() {
		return this.requests.get();
	}

	public void reset() {
		this.deletions.clear();
		this.requests.set(0);
	}

}
