package io.mutationhooks.s3.sweep;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.util.ReflectionUtils;

/**
 * The pages of a bucket's listing from a start key, each asked for, on a thread of its own, as soon as the page
 * before it has come: the next page is on its way while the caller works on the current one, so a sweep's database
 * work and S3's answer overlap. At most two pages are held at once, and a page is asked for only after the one before
 * it, from its last key, as the caller would.
 */
final class PrefetchingListing implements AutoCloseable {

	private final Function<String, ListObjectsV2Response> lister;

	private final ExecutorService executor;

	private Future<ListObjectsV2Response> next;

	/**
	 * Asks for the first page, after {@code startAfter}.
	 * @param threadName the name of the thread that lists
	 * @param startAfter the key the listing starts after, or {@literal null} for the start
	 * @param lister lists the page after a key ({@literal null} for the start)
	 */
	PrefetchingListing(String threadName, String startAfter, Function<String, ListObjectsV2Response> lister) {
		this.lister = Objects.requireNonNull(lister, "lister must not be null");
		this.executor = Executors.newSingleThreadExecutor(task -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
		this.next = this.executor.submit(() -> this.lister.apply(startAfter));
	}

	/**
	 * The next page, once it has come; the page after it, if this one is truncated and not empty, is asked for at
	 * once.
	 * @throws IllegalStateException if there is no next page (the last one was complete, or empty), or the calling
	 * thread is interrupted
	 * @throws RuntimeException what listing the page threw
	 */
	ListObjectsV2Response next() {
		if (this.next == null) {
			throw new IllegalStateException("The listing has no next page");
		}
		// A page already come would be returned without a look at the flag, and the run would go on interrupted.
		if (Thread.currentThread().isInterrupted()) {
			this.next.cancel(true);
			throw new IllegalStateException("Interrupted while listing");
		}
		ListObjectsV2Response page = await(this.next);
		this.next = null;
		List<S3Object> contents = page.contents();
		if (Boolean.TRUE.equals(page.isTruncated()) && !contents.isEmpty()) {
			String lastKey = contents.get(contents.size() - 1).key();
			this.next = this.executor.submit(() -> this.lister.apply(lastKey));
		}
		return page;
	}

	/** Stops listing: a page on its way is abandoned. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	private static ListObjectsV2Response await(Future<ListObjectsV2Response> page) {
		try {
			return page.get();
		}
		catch (ExecutionException ex) {
			ReflectionUtils.rethrowRuntimeException(ex.getCause());
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			page.cancel(true);
			throw new IllegalStateException("Interrupted while waiting for a page of the listing", ex);
		}
	}

}
