package io.mutationhooks.testapp;

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

}
