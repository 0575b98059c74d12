package io.mutationhooks.s3.sweep;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import io.mutationhooks.s3.sweep.DanglingReference.Availability;
import io.mutationhooks.s3.sweep.DanglingReference.EarlierVersion;
import io.mutationhooks.s3.sweep.DanglingVersions.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/** What a listing of versions, as the SDK gives it, says of a key found missing. */
class DanglingVersionsUnitTests {

	private static final Instant MONDAY = Instant.parse("2026-11-30T10:00:00Z");

	private static final Instant TUESDAY = Instant.parse("2026-12-01T10:00:00Z");

	@Test
	void aDeleteMarkerOnTopOfVersionsIsRestorableFromTheNewestVersion() {
		ListObjectVersionsResponse page = page(List.of(version("a.png", "v2", false, TUESDAY),
				version("a.png", "v1", false, MONDAY)), List.of(marker("a.png", "m1", true)));

		Verdict verdict = DanglingVersions.decide("a.png", List.of(page));

		assertThat(verdict.present()).isFalse();
		assertThat(verdict.earlierVersion()).isEqualTo(EarlierVersion.restorable("v2", TUESDAY));
	}

	@Test
	void onlyDeleteMarkersLeaveNothingToRestore() {
		ListObjectVersionsResponse page = page(List.of(),
				List.of(marker("a.png", "m2", true), marker("a.png", "m1", false)));

		assertThat(DanglingVersions.decide("a.png", List.of(page)).earlierVersion().availability())
			.isEqualTo(Availability.NONE);
	}

	@Test
	void noEntryAtAllLeavesNothingToRestore() {
		Verdict verdict = DanglingVersions.decide("a.png", List.of(page(List.of(), List.of())));

		assertThat(verdict.present()).isFalse();
		assertThat(verdict.earlierVersion().availability()).isEqualTo(Availability.NONE);
	}

	@Test
	void aVersionOnTopMeansTheObjectWasWrittenAgain() {
		ListObjectVersionsResponse page = page(List.of(version("a.png", "v3", true, TUESDAY),
				version("a.png", "v1", false, MONDAY)), List.of(marker("a.png", "m1", false)));

		assertThat(DanglingVersions.decide("a.png", List.of(page)).present()).isTrue();
	}

	@Test
	void otherKeysStartingWithTheKeyAreNotItsVersions() {
		ListObjectVersionsResponse page = page(List.of(version("a.png.bak", "b1", true, MONDAY)),
				List.of(marker("a.png", "m1", true)));

		Verdict verdict = DanglingVersions.decide("a.png", List.of(page));

		assertThat(verdict.present()).isFalse();
		assertThat(verdict.earlierVersion().availability()).isEqualTo(Availability.NONE);
	}

	@Test
	void theVersionsOfAKeyAreReadAcrossPages() {
		ListObjectVersionsResponse first = page(List.of(), List.of(marker("a.png", "m2", true),
				marker("a.png", "m1", false)));
		ListObjectVersionsResponse second = page(List.of(version("a.png", "v1", false, MONDAY)), List.of());

		assertThat(DanglingVersions.decide("a.png", List.of(first, second)).earlierVersion())
			.isEqualTo(EarlierVersion.restorable("v1", MONDAY));
	}

	private static ListObjectVersionsResponse page(List<ObjectVersion> versions, List<DeleteMarkerEntry> markers) {
		return ListObjectVersionsResponse.builder().versions(versions).deleteMarkers(markers).build();
	}

	private static ObjectVersion version(String key, String id, boolean latest, Instant lastModified) {
		return ObjectVersion.builder().key(key).versionId(id).isLatest(latest).lastModified(lastModified).build();
	}

	private static DeleteMarkerEntry marker(String key, String id, boolean latest) {
		return DeleteMarkerEntry.builder().key(key).versionId(id).isLatest(latest).lastModified(TUESDAY).build();
	}

}
