package io.mutationhooks.testapp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits on the calling thread, for tests and harnesses that must hold a transaction or a request open a while. */
public final class Pause {

	private Pause() {
	}

	/** Sleeps {@code millis}; an interrupt ends the wait with an exception, the thread left interrupted. */
	public static void millis(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Waits for {@code latch}, from a thread the test holds (a transaction, a handler's call), for 20 s at most. */
	public static void until(CountDownLatch latch) {
		try {
			if (!latch.await(20, TimeUnit.SECONDS)) {
				throw new AssertionError("the other thread never got there");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
