package io.mutationhooks.s3.sweep;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class PrefetchingListingUnitTests {

	private final List<String> askedAfter = new CopyOnWriteArrayList<>();

	@Test
	void asksForEachPageOnceFromTheLastKeyOfThePageBeforeItAsSoonAsThatPageHasCome() {
		try (PrefetchingListing listing = new PrefetchingListing("test-listing", "a", this::pageOfTwoUpToF)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.askedAfter.size() == 1);

			assertThat(keys(listing.next())).containsExactly("b", "c");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.askedAfter.size() == 2);
			assertThat(this.askedAfter).as("the next page asked for before the caller asks").containsExactly("a", "c");

			assertThat(keys(listing.next())).containsExactly("d", "e");
			assertThat(keys(listing.next())).containsExactly("f");
			assertThat(this.askedAfter).containsExactly("a", "c", "e");
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(listing::next)
				.withMessage("The listing has no next page");
		}
	}

	@Test
	void whatListingAPageThrowsIsThrownWhenThatPageIsAskedFor() {
		SdkClientException unreachable = SdkClientException.create("S3 is away");
		try (PrefetchingListing listing = new PrefetchingListing("test-listing", null, after -> {
			throw unreachable;
		})) {
			assertThatExceptionOfType(SdkClientException.class).isThrownBy(listing::next).isSameAs(unreachable);
		}
	}

	@Test
	void anInterruptedCallerGetsNoFurtherPageEvenOneThatHasAlreadyCome() throws InterruptedException {
		try (PrefetchingListing listing = new PrefetchingListing("test-listing", "a", this::pageOfTwoUpToF)) {
			listing.next();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.askedAfter.size() == 2);
			Thread.currentThread().interrupt();
			try {
				assertThatExceptionOfType(IllegalStateException.class).isThrownBy(listing::next)
					.withMessage("Interrupted while listing");
				assertThat(Thread.currentThread().isInterrupted()).as("the flag kept for the caller").isTrue();
			}
			finally {
				Thread.interrupted();
			}
		}
	}

	@Test
	void closingAbandonsAPageOnItsWay() throws InterruptedException {
		CountDownLatch asked = new CountDownLatch(1);
		CountDownLatch abandoned = new CountDownLatch(1);
		PrefetchingListing listing = new PrefetchingListing("test-listing", null, after -> {
			asked.countDown();
			try {
				Thread.sleep(Duration.ofMinutes(1).toMillis());
			}
			catch (InterruptedException ex) {
				abandoned.countDown();
			}
			return ListObjectsV2Response.builder().build();
		});
		assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();

		listing.close();

		assertThat(abandoned.await(5, TimeUnit.SECONDS)).as("the listing thread interrupted").isTrue();
	}

	/** Pages of two keys of "a" to "f", after a key. */
	private ListObjectsV2Response pageOfTwoUpToF(String after) {
		this.askedAfter.add(String.valueOf(after));
		List<String> all = List.of("a", "b", "c", "d", "e", "f");
		List<String> rest = all.subList(after == null ? 0 : all.indexOf(after) + 1, all.size());
		List<String> page = rest.subList(0, Math.min(2, rest.size()));
		return ListObjectsV2Response.builder()
			.contents(page.stream().map(key -> S3Object.builder().key(key).build()).toList())
			.isTruncated(rest.size() > page.size())
			.build();
	}

	private static List<String> keys(ListObjectsV2Response page) {
		return page.contents().stream().map(S3Object::key).toList();
	}

}
