package io.mutationhooks.s3;

import java.util.Collection;
import java.util.Objects;

/**
 * A bucket that entity fields refer to, as configured.
 *
 * @param id the name of the bucket in configuration
 * @param name the bucket's real name in S3
 * @param prefix the key prefix every reference must live under; empty for none
 * @param verifyOnWrite whether creates and updates check that the referenced object exists
 * @param cleanup whether objects are deleted after commit once no row refers to them
 */
public record S3Bucket(String id, String name, String prefix, boolean verifyOnWrite, boolean cleanup) {

	public S3Bucket {
		Objects.requireNonNull(id, "id must not be null");
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("bucket '" + id + "' needs a name");
		}
		prefix = prefix == null ? "" : prefix;
		if (!prefix.isEmpty() && !prefix.endsWith("/")) {
			// Without the boundary, prefix "docs" would admit "docs-private/...": objects outside the prefix.
			throw new IllegalArgumentException("the prefix '" + prefix + "' of bucket '" + id
					+ "' must end with '/', as in '" + prefix + "/'");
		}
	}

	/**
	 * Whether this binding's writes through the hooks lease the objects they refer to before they check them whatever
	 * the other bindings: those that check ({@code verifyOnWrite}) in a bucket that is cleaned up ({@code cleanup}).
	 * Those of a binding that checks but does not clean up lease too where another binding of the same real bucket
	 * overlapping it does ({@link S3References#leasesChecked}).
	 */
	public boolean leasesWrites() {
		return this.verifyOnWrite && this.cleanup;
	}

	/**
	 * Whether a binding among {@code bindings} that overlaps this one (itself among them) cleans up: its cleanup may
	 * delete objects this binding's rows refer to, so this binding's checked writes lease them.
	 */
	public boolean cleanedUpAmong(Collection<S3Bucket> bindings) {
		return bindings.stream().anyMatch(other -> other.cleanup() && other.overlaps(this));
	}

	/** Whether this binding and {@code other} can refer to the same objects: one real bucket, one prefix in the other. */
	public boolean overlaps(S3Bucket other) {
		return this.name.equals(other.name)
				&& (this.prefix.startsWith(other.prefix) || other.prefix.startsWith(this.prefix));
	}

	/** The object {@code key} of this bucket. */
	public S3Object object(String key) {
		return new S3Object(this.name, key);
	}

	/**
	 * An object in a bucket.
	 *
	 * @param bucket the bucket's real name
	 * @param key the key
	 */
	public record S3Object(String bucket, String key) {

		@Override
		public String toString() {
			return "s3://" + this.bucket + "/" + this.key;
		}

	}

}
