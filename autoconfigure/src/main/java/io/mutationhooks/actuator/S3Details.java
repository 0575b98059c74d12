package io.mutationhooks.actuator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import io.mutationhooks.actuator.MutationHooksEndpoint.ReferenceDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.SweepDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.SweepSettings;
import io.mutationhooks.core.SafeText;
import io.mutationhooks.s3.ReferencePath;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.sweep.DanglingReferences;
import io.mutationhooks.s3.sweep.DanglingReport;
import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;
import io.mutationhooks.s3.sweep.SweptBucket;

/**
 * The S3 side of the endpoint: the references of each entity type with their buckets, the swept buckets with their
 * last reports, sweeps and dangling reports on request. Only made when the S3 sync's classes are on the class path,
 * so that the endpoint itself needs none of them.
 */
public final class S3Details {

	private final S3References references;

	private final OrphanSweeper sweeper;

	private final DanglingReferences dangling;

	/**
	 * @param references the S3 references of entities, or {@literal null} when the S3 sync is off
	 * @param sweeper the orphan sweeper, or {@literal null} when no bucket is swept
	 * @param dangling the dangling references report, or {@literal null} when the S3 sync is off
	 */
	public S3Details(S3References references, OrphanSweeper sweeper, DanglingReferences dangling) {
		this.references = references;
		this.sweeper = sweeper;
		this.dangling = dangling;
	}

	/** The references an aggregate of {@code type} holds, with their buckets. */
	List<ReferenceDescriptor> referencesOf(Class<?> type) {
		if (this.references == null) {
			return List.of();
		}
		Map<String, SweptBucket> swept = sweptBuckets();
		return this.references.pathsOf(type).stream().map(path -> describe(path, swept.get(path.bucket().id()))).toList();
	}

	/** Whether a bucket is swept: only then does the endpoint list sweeps. */
	boolean sweeps() {
		return this.sweeper != null;
	}

	/** Every swept bucket by its name in configuration, with its settings and last reports. */
	Map<String, SweepDescriptor> sweepsByBucket() {
		Map<String, SweepDescriptor> sweeps = new TreeMap<>();
		sweptBuckets().forEach((id, bucket) -> sweeps.put(id, describe(bucket)));
		return sweeps;
	}

	/**
	 * The settings and last reports of the swept bucket {@code bucket}.
	 * @throws NoSuchElementException if no bucket of that name is swept
	 */
	SweepDescriptor sweepOf(String bucket) {
		return describe(swept(bucket));
	}

	/**
	 * Sweeps {@code bucket} now, in this thread, in {@code mode}: a dry run unless asked otherwise.
	 * @param mode {@code dry-run}, {@code delete} or {@code quarantine}; {@literal null} for a dry run
	 * @throws NoSuchElementException if no bucket of that name is swept
	 * @throws IllegalArgumentException if the mode is not one, or cannot sweep this bucket
	 * @throws io.mutationhooks.s3.sweep.SweepAlreadyRunningException if another run sweeps the bucket
	 */
	SweepReport sweep(String bucket, String mode) {
		SweepMode sweepMode = modeOf(mode);
		SweptBucket swept = swept(bucket);
		// The configured mode is the most a request may ask for: a bucket the application sweeps as a dry run is
		// never deleted from over HTTP.
		if (sweepMode != SweepMode.DRY_RUN && sweepMode != swept.mode()) {
			throw new IllegalArgumentException("Bucket " + SafeText.quote(bucket) + " is swept in mode " + swept.mode()
					+ ": a request may ask for that or dry-run, not " + sweepMode + " (set "
					+ "mutation-hooks.s3.buckets." + bucket + ".sweep.mode to allow it)");
		}
		return this.sweeper.sweep(bucket, sweepMode);
	}

	/**
	 * Looks for rows of {@code bucket} whose objects are missing.
	 * @throws NoSuchElementException if no bucket of that name is configured
	 */
	DanglingReport dangling(String bucket) {
		if (this.dangling == null || this.references == null || !this.references.buckets().containsKey(bucket)) {
			throw new NoSuchElementException("No bucket " + SafeText.quote(bucket) + " is configured; the buckets are "
					+ (this.references == null ? "[]" : this.references.buckets().keySet()));
		}
		return this.dangling.report(bucket);
	}

	private Map<String, SweptBucket> sweptBuckets() {
		return this.sweeper != null ? new TreeMap<>(this.sweeper.buckets()) : Map.of();
	}

	private SweptBucket swept(String bucket) {
		SweptBucket swept = sweptBuckets().get(bucket);
		if (swept == null) {
			throw new NoSuchElementException("No bucket " + SafeText.quote(bucket) + " is swept; these are: "
					+ sweptBuckets().keySet() + " (mutation-hooks.s3.buckets.<name>.sweep.enabled)");
		}
		return swept;
	}

	private SweepDescriptor describe(SweptBucket swept) {
		return new SweepDescriptor(swept.bucket().name(), swept.bucket().prefix(), settingsOf(swept),
				this.sweeper.lastReports(swept.id()));
	}

	private static ReferenceDescriptor describe(ReferencePath path, SweptBucket swept) {
		S3Bucket bucket = path.bucket();
		return new ReferenceDescriptor(path.path(), bucket.id(), bucket.name(), bucket.prefix(), bucket.verifyOnWrite(),
				bucket.cleanup(), swept != null ? settingsOf(swept) : null);
	}

	private static SweepSettings settingsOf(SweptBucket swept) {
		return new SweepSettings(swept.mode().toString(), swept.gracePeriod(), swept.quarantinePrefix(),
				swept.reportsKept());
	}

	/** The mode a request asks for, a dry run when it names none. */
	static SweepMode modeOf(String mode) {
		if (mode == null || mode.isBlank()) {
			return SweepMode.DRY_RUN;
		}
		String normalized = mode.strip().toLowerCase(Locale.ROOT).replace('_', '-');
		return Arrays.stream(SweepMode.values())
			.filter(candidate -> candidate.toString().equals(normalized))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown sweep mode " + SafeText.quote(mode)
					+ "; use one of " + Arrays.stream(SweepMode.values()).map(SweepMode::toString).toList()));
	}

}
