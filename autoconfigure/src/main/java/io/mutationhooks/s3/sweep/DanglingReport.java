package io.mutationhooks.s3.sweep;

import java.util.List;
import java.util.Objects;

/**
 * What a look for dangling references in one bucket found: how many references the rows hold, how many name an
 * object that is not there, and how many S3 could not be asked about; with the first of each, in table order. Nothing
 * is fixed: rows and objects are left as they were.
 *
 * @param binding the bucket's name in configuration ({@code mutation-hooks.s3.buckets.<binding>}): the report is of
 * its columns only, where two bindings share a real bucket
 * @param bucket the bucket's real name
 * @param checked the references read: every non-null value of every column bound to the bucket
 * @param dangling the references naming an object that is not there ({@link DanglingReference.Status#MISSING}), or no
 * object of the bucket at all ({@link DanglingReference.Status#INVALID}), as found when each was checked. Only a listed
 * one ({@code firstDangling}) in a bucket that keeps versions is looked at again, when its versions are read: if its
 * object is there by then, it leaves the list and this count. An object written again after its check is otherwise
 * still counted
 * @param unknown the references S3 could not be asked about: neither there nor dangling as far as anyone knows
 * @param firstDangling the first dangling references, at most as many as asked for; for a missing object in a bucket
 * with versioning, with whether an earlier version could be restored
 * @param firstUnknown the first references S3 could not be asked about, at most as many as asked for
 */
public record DanglingReport(String binding, String bucket, long checked, long dangling, long unknown,
		List<DanglingReference> firstDangling, List<DanglingReference> firstUnknown) {

	public DanglingReport {
		Objects.requireNonNull(binding, "binding must not be null");
		Objects.requireNonNull(bucket, "bucket must not be null");
		firstDangling = List.copyOf(firstDangling);
		firstUnknown = List.copyOf(firstUnknown);
	}

	/** Whether every reference was checked and names an object that is there. */
	public boolean clean() {
		return this.dangling == 0 && this.unknown == 0;
	}

	/**
	 * {@code s3://avatars: 1200 references checked, 3 dangling, 0 unknown}, with {@code (binding docs)} after it
	 * where the binding is named otherwise than its bucket.
	 */
	@Override
	public String toString() {
		return "s3://" + this.bucket + ": " + this.checked + " references checked, " + this.dangling + " dangling, "
				+ this.unknown + " unknown" + (this.binding.equals(this.bucket) ? "" : " (binding " + this.binding + ")");
	}

}
