package io.mutationhooks.s3.sweep;

import java.util.Locale;

/** What a sweep does with the orphans it finds: objects no row refers to, older than the grace period. */
public enum SweepMode {

	/** Counts and logs them, and changes nothing: the default, to see what a sweep would do before it does it. */
	DRY_RUN,

	/** Deletes them through the durable S3 delete effect. */
	DELETE,

	/** Copies them under the quarantine prefix of their bucket and deletes the originals, for an undo window. */
	QUARANTINE;

	/** The mode as properties write it: {@code dry-run}, {@code delete}, {@code quarantine}. */
	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
