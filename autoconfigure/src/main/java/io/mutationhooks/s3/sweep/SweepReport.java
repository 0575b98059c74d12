package io.mutationhooks.s3.sweep;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mutationhooks.core.SafeText;

/**
 * What one run of the orphan sweeper did in one bucket. Every key listed under the bucket's prefix (but not under
 * its quarantine prefix) is counted once, as referenced, young, orphan or failed, so
 * {@code scanned = referenced + young + orphans + failed}. Orphans are handed to a durable effect (delete or
 * quarantine) that runs after the page's commit: right before it acts, it checks each key once more against the rows
 * and the writes in progress, so some may be kept (and counted here all the same); effects that fail are retried or
 * parked, and show in the effect backlog, not here.
 *
 * @param runId identifies the run
 * @param bucket the bucket's name in configuration
 * @param bucketName the bucket's real name in S3
 * @param mode what the run did with orphans
 * @param startedAt when the run started
 * @param endedAt when it ended
 * @param resumedAfter the key after which this run went on with a run of the same mode that was interrupted, or
 * {@literal null} if it started at the beginning of the bucket
 * @param complete whether it reached the end of the listing; if not, {@code error} says why, and the next run of the
 * same mode goes on after the last page done
 * @param scanned the keys listed
 * @param referenced the keys a row refers to (in either form, in any table mapped to the bucket)
 * @param young the keys no row refers to that are younger than the grace period: spared
 * @param orphans the keys no row refers to, older than the grace period: deleted or quarantined (requested), or in a
 * dry run, those that would be
 * @param failed the keys left alone because the starter never deletes such a key (not a valid reference: control
 * characters, {@code .} or {@code ..} segments), or because its quarantine key would exceed 1024 bytes
 * @param bytesReclaimed the size of the orphans: what deleting them frees (a quarantine keeps them under the
 * quarantine prefix until that is cleared)
 * @param error why the run ended before the end of the listing, or {@literal null}
 */
public record SweepReport(String runId, String bucket, String bucketName, SweepMode mode, Instant startedAt,
		Instant endedAt, String resumedAfter, boolean complete, long scanned, long referenced, long young, long orphans,
		long failed, long bytesReclaimed, String error) {

	public SweepReport {
		Objects.requireNonNull(runId, "runId must not be null");
		Objects.requireNonNull(bucket, "bucket must not be null");
		Objects.requireNonNull(mode, "mode must not be null");
		Objects.requireNonNull(startedAt, "startedAt must not be null");
		Objects.requireNonNull(endedAt, "endedAt must not be null");
	}

	/** How long the run took. */
	public Duration duration() {
		return Duration.between(this.startedAt, this.endedAt);
	}

	/** The report in one line, as logged at the end of a run. */
	public String summary() {
		String outcome = this.complete ? "done" : "stopped";
		String orphansDone = switch (this.mode) {
			case DRY_RUN -> "orphans (not deleted: dry run) ";
			case DELETE -> "deleted ";
			case QUARANTINE -> "quarantined ";
		};
		return "Sweep of bucket " + this.bucket + " (" + this.bucketName + ", " + this.mode + ") " + outcome + " in " + duration().toMillis() + " ms"
				+ (this.resumedAfter == null ? "" : ", resumed after " + SafeText.quote(this.resumedAfter)) + ": scanned "
				+ this.scanned + ", referenced " + this.referenced + ", young " + this.young + ", " + orphansDone
				+ this.orphans + " (" + this.bytesReclaimed + " bytes), failed " + this.failed
				+ (this.error == null ? "" : "; " + SafeText.message(this.error));
	}

}
