package io.mutationhooks.s3.sweep;

/**
 * Thrown when a sweep is asked for a bucket that another run is sweeping, on this instance or another: a bucket is
 * swept by one run at a time. The other run's report tells how it went ({@link OrphanSweeper#lastReports(String)}).
 */
public class SweepAlreadyRunningException extends IllegalStateException {

	private final String bucket;

	/** @param bucket the bucket's name in configuration */
	public SweepAlreadyRunningException(String bucket) {
		super("The bucket " + bucket + " is being swept by another run; try again once it has ended");
		this.bucket = bucket;
	}

	/** @return the bucket's name in configuration */
	public String getBucket() {
		return this.bucket;
	}

}
