package io.mutationhooks.s3.sweep;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import io.mutationhooks.s3.sweep.DanglingReference.EarlierVersion;

/**
 * Reads in a bucket's versions whether a missing object could be restored: its newest entry is a delete marker and an
 * earlier version that is not one is still there.
 */
final class DanglingVersions {

	private final S3Client s3;

	DanglingVersions(S3Client s3) {
		this.s3 = s3;
	}

	/**
	 * Whether {@code bucket} keeps versions: versioning is on, or was and is suspended (what it kept stays).
	 * @throws SdkException if S3 could not say
	 */
	boolean kept(String bucket) {
		BucketVersioningStatus status = this.s3.getBucketVersioning(request -> request.bucket(bucket)).status();
		return status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED;
	}

	/**
	 * What the versions of {@code key} say, listed with the key as prefix (so other keys starting with it come too,
	 * after it) until its first version that is not a delete marker: S3 lists a key's versions newest first.
	 */
	Verdict of(String bucket, String key) {
		List<ListObjectVersionsResponse> pages = new ArrayList<>();
		try {
			ListObjectVersionsResponse page = this.s3.listObjectVersions(request -> request.bucket(bucket)
				.encodingType(EncodingType.URL)
				.prefix(key));
			pages.add(page);
			while (Boolean.TRUE.equals(page.isTruncated()) && key.equals(page.nextKeyMarker())
					&& versionsOf(key, pages).isEmpty()) {
				String keyMarker = page.nextKeyMarker();
				String versionIdMarker = page.nextVersionIdMarker();
				page = this.s3.listObjectVersions(request -> request.bucket(bucket)
					.encodingType(EncodingType.URL)
					.prefix(key)
					.keyMarker(keyMarker)
					.versionIdMarker(versionIdMarker));
				pages.add(page);
			}
		}
		catch (SdkException ex) {
			return new Verdict(false, EarlierVersion.unknown(ex.getMessage()));
		}
		return decide(key, pages);
	}

	/**
	 * What listings of the versions of {@code key}, in the order S3 gave them, say of it: restorable when its newest
	 * entry is a delete marker and a version that is not one is there (the newest such); there after all when its
	 * newest entry is a version (written again since it was found missing); else nothing to restore.
	 */
	static Verdict decide(String key, List<ListObjectVersionsResponse> pages) {
		List<ObjectVersion> versions = versionsOf(key, pages);
		if (versions.stream().anyMatch(version -> Boolean.TRUE.equals(version.isLatest()))) {
			return new Verdict(true, EarlierVersion.none());
		}
		boolean deleted = pages.stream()
			.flatMap(page -> page.deleteMarkers().stream())
			.filter(marker -> key.equals(marker.key()))
			.anyMatch(DanglingVersions::latest);
		if (deleted && !versions.isEmpty()) {
			ObjectVersion newest = versions.get(0);
			return new Verdict(false, EarlierVersion.restorable(newest.versionId(), newest.lastModified()));
		}
		return new Verdict(false, EarlierVersion.none());
	}

	private static boolean latest(DeleteMarkerEntry marker) {
		return Boolean.TRUE.equals(marker.isLatest());
	}

	/** The versions of exactly {@code key} that are not delete markers, newest first. */
	private static List<ObjectVersion> versionsOf(String key, List<ListObjectVersionsResponse> pages) {
		return pages.stream()
			.flatMap(page -> page.versions().stream())
			.filter(version -> key.equals(version.key()))
			.toList();
	}

	/**
	 * What the versions say of a key found missing.
	 *
	 * @param present whether its newest version is an object after all: it was written again since
	 * @param earlierVersion whether an earlier version could be restored
	 */
	record Verdict(boolean present, EarlierVersion earlierVersion) {
	}

}
