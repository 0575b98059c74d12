package io.mutationhooks.s3.sweep;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.transaction.support.TransactionOperations;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.effects.Effects;
import io.mutationhooks.s3.ObjectKeys;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3DeleteEffect;
import io.mutationhooks.s3.S3QuarantineEffect;
import io.mutationhooks.s3.StillReferenced;

/**
 * Reconciles a bucket with the database: lists the objects under the bucket's prefix a page at a time, and hands the
 * orphans, objects that no row refers to and that are older than the grace period, to the durable S3 delete effect
 * (or the quarantine effect), which claims each key right before it acts, so a row committed since the listing, or a
 * write checking the key, keeps its object.
 * <ul>
 * <li>Memory stays bounded: at most two pages of keys (1000 each), the one checked against every column that refers
 * to the bucket, with one query per column, and the next, listed meanwhile.</li>
 * <li>Resumable: each page's effects are recorded in one transaction with the last key done; a run interrupted (a
 * crash, S3 or the database away) is resumed after that key by the next run of the same mode.</li>
 * <li>One run per bucket at a time, across instances: a run holds its bucket while it records progress; a run whose
 * last progress is older than the stale time is taken to be dead and taken over.</li>
 * <li>Reported: every run ends with a {@link SweepReport}, logged at INFO and kept (the last few per bucket).</li>
 * </ul>
 */
public final class OrphanSweeper {

	/** The keys listed in one page, S3's most: one DeleteObjects request's worth. */
	public static final int PAGE_SIZE = 1000;

	/** How long a run may go without recording progress before another may take its bucket over. */
	public static final Duration STALE_AFTER = Duration.ofMinutes(5);

	private static final Logger logger = LoggerFactory.getLogger(OrphanSweeper.class);

	private final S3Client s3;

	private final AwsRequestOverrideConfiguration requestOverrides;

	private final StillReferenced stillReferenced;

	private final Effects effects;

	private final SweepStore store;

	private final TransactionOperations newTransaction;

	private final Map<String, SweptBucket> buckets = new LinkedHashMap<>();

	private final int pageSize;

	private final Clock clock;

	private final Duration staleAfter;

	private SweepListener listener = SweepListener.NONE;

	/**
	 * A sweeper with pages of {@value #PAGE_SIZE} keys, the system clock and runs stale after {@link #STALE_AFTER}.
	 * @param s3 the client
	 * @param requestOverrides applied to every ListObjectsV2 request, to bound it in time
	 * @param stillReferenced which keys rows refer to
	 * @param effects records the deletes or moves of orphans, with the page's progress
	 * @param store the progress and reports
	 * @param newTransaction runs a page in a new transaction on the database of {@code effects} and {@code store}
	 * @param buckets the buckets that may be swept
	 */
	public OrphanSweeper(S3Client s3, AwsRequestOverrideConfiguration requestOverrides, StillReferenced stillReferenced,
			Effects effects, SweepStore store, TransactionOperations newTransaction, Collection<SweptBucket> buckets) {
		this(s3, requestOverrides, stillReferenced, effects, store, newTransaction, buckets, PAGE_SIZE,
				Clock.systemUTC(), STALE_AFTER);
	}

	/**
	 * A sweeper with other pages, clock or stale time, for tests.
	 * @param pageSize the keys listed in one page, from 1 to 1000
	 * @param clock tells the age of objects and the times of reports
	 * @param staleAfter how long a run may go without recording progress before another may take its bucket over
	 */
	public OrphanSweeper(S3Client s3, AwsRequestOverrideConfiguration requestOverrides, StillReferenced stillReferenced,
			Effects effects, SweepStore store, TransactionOperations newTransaction, Collection<SweptBucket> buckets,
			int pageSize, Clock clock, Duration staleAfter) {
		this.s3 = Objects.requireNonNull(s3, "s3 must not be null");
		this.requestOverrides = Objects.requireNonNull(requestOverrides, "requestOverrides must not be null");
		this.stillReferenced = Objects.requireNonNull(stillReferenced, "stillReferenced must not be null");
		this.effects = Objects.requireNonNull(effects, "effects must not be null");
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.newTransaction = Objects.requireNonNull(newTransaction, "newTransaction must not be null");
		buckets.forEach(bucket -> this.buckets.put(bucket.id(), bucket));
		if (pageSize < 1 || pageSize > PAGE_SIZE) {
			throw new IllegalArgumentException("pageSize must be from 1 to " + PAGE_SIZE + ", not " + pageSize);
		}
		this.pageSize = pageSize;
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter must not be null");
	}

	/**
	 * Tells {@code listener} of the report of every run, from now on.
	 * @param listener the listener; {@link SweepListener#NONE}, the default, listens to nothing
	 */
	public void setListener(SweepListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
	}

	/** @return the names in configuration of the buckets that may be swept, with their settings */
	public Map<String, SweptBucket> buckets() {
		return Map.copyOf(this.buckets);
	}

	/**
	 * Sweeps {@code bucket} in its configured mode; see {@link #sweep(String, SweepMode)}.
	 */
	public SweepReport sweep(String bucket) {
		return sweep(bucket, swept(bucket).mode());
	}

	/**
	 * Sweeps {@code bucket} in {@code mode}, in this thread, going on after the last page of an interrupted run of the
	 * same mode if there is one. A run that fails on the way (S3 or the database away) ends with a report saying so,
	 * and the next run of the mode goes on from there.
	 * @param bucket the bucket's name in configuration, one with {@code sweep.enabled}
	 * @param mode what to do with orphans
	 * @return the report of the run, also logged and stored
	 * @throws SweepAlreadyRunningException if another run is sweeping the bucket
	 * @throws IllegalArgumentException if the bucket is not swept, or {@code mode} removes objects from a bucket that
	 * writes can refer to without leasing their objects ({@link SweptBucket#removable()})
	 * @throws Error an {@link Error} thrown during the run, once the run has let go of the bucket and kept its report
	 */
	public SweepReport sweep(String bucket, SweepMode mode) {
		SweptBucket swept = swept(bucket);
		Objects.requireNonNull(mode, "mode must not be null");
		if (mode != SweepMode.DRY_RUN && !swept.removable()) {
			throw new IllegalArgumentException("The writes of " + swept.unleasedWriters()
				.stream()
				.map(S3Bucket::id)
				.toList() + " do not lease the objects they refer to in bucket " + bucket + " (they have cleanup or "
					+ "verify-on-write false), so a " + mode + " sweep could take an object a write is about to "
					+ "refer to; only a dry run can sweep it");
		}
		String runId = UUID.randomUUID().toString();
		// Reports are stored to the millisecond: the one returned is the one stored.
		Instant startedAt = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		SweepStore.Start start = this.store.begin(bucket, runId, mode, this.staleAfter)
			.orElseThrow(() -> new SweepAlreadyRunningException(bucket));
		if (start.startAfter() != null) {
			logger.info("Resuming the {} sweep of bucket {} after {}, where an interrupted run stopped", mode, bucket,
					SafeText.quote(start.startAfter()));
		}
		Counts counts = new Counts();
		String error = null;
		boolean complete = false;
		// An Error (out of memory, a stack overflow) is thrown on once the bucket is let go of and the report kept.
		Error fatal = null;
		// The next page is listed while this thread checks the current one against the database.
		try (PrefetchingListing listing = new PrefetchingListing("mutation-hooks-sweep-" + bucket,
				start.startAfter(), after -> list(swept.bucket(), after))) {
			String after = start.startAfter();
			ListObjectsV2Response page;
			do {
				page = listing.next();
				if (!page.contents().isEmpty()) {
					after = sweepPage(swept, mode, runId, page.contents(), counts);
				}
				else if (Boolean.TRUE.equals(page.isTruncated())) {
					throw new IllegalStateException("S3 answered an empty page marked truncated, listing after "
							+ (after == null ? "the start" : SafeText.quote(after)) + ": asking again would get "
							+ "the same page for ever");
				}
			}
			while (Boolean.TRUE.equals(page.isTruncated()));
			complete = true;
		}
		catch (RuntimeException ex) {
			error = ex.toString();
		}
		catch (Error ex) {
			error = ex.toString();
			fatal = ex;
		}
		try {
			this.store.end(bucket, runId, complete);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not let go of bucket {} after sweep {}: another run can take it over once it is stale "
					+ "({})", bucket, runId, this.staleAfter, ex);
		}
		SweepReport report = new SweepReport(runId, bucket, swept.bucket().name(), mode, startedAt,
				this.clock.instant().truncatedTo(ChronoUnit.MILLIS), start.startAfter(), complete, counts.scanned,
				counts.referenced, counts.young, counts.orphans, counts.failed, counts.bytes, error);
		try {
			this.store.save(report, swept.reportsKept());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not store the report of sweep {} of bucket {}", runId, bucket, ex);
		}
		if (complete) {
			logger.info(report.summary());
		}
		else {
			logger.warn(report.summary());
		}
		try {
			this.listener.swept(report);
		}
		catch (RuntimeException ex) {
			logger.warn("A sweep listener failed on the report of sweep {} of bucket {}", runId, bucket, ex);
		}
		if (fatal != null) {
			throw fatal;
		}
		return report;
	}

	/**
	 * The reports of the last runs in {@code bucket}, the newest first: at most its {@code reports-kept}.
	 * @param bucket the bucket's name in configuration, one with {@code sweep.enabled}
	 * @throws IllegalArgumentException if the bucket is not swept
	 */
	public List<SweepReport> lastReports(String bucket) {
		return this.store.lastReports(bucket, swept(bucket).reportsKept());
	}

	private SweptBucket swept(String bucket) {
		SweptBucket swept = this.buckets.get(bucket);
		if (swept == null) {
			throw new IllegalArgumentException("The bucket " + SafeText.quote(bucket) + " is not swept; these are: "
					+ this.buckets.keySet() + " (mutation-hooks.s3.buckets.<name>.sweep.enabled)");
		}
		return swept;
	}

	/**
	 * A page of the listing, its keys URL-encoded by S3 so that a key XML 1.0 cannot carry (a control character) does
	 * not make the answer unparsable, which would stop every run at that page. The SDK decodes the keys and
	 * {@code StartAfter} of the answer itself (its {@code DecodeUrlEncodedResponseInterceptor}), and encodes
	 * {@code start-after} in the request's query.
	 */
	private ListObjectsV2Response list(S3Bucket bucket, String startAfter) {
		return this.s3.listObjectsV2(request -> request.bucket(bucket.name())
			.encodingType(EncodingType.URL)
			.prefix(bucket.prefix().isEmpty() ? null : bucket.prefix())
			.startAfter(startAfter)
			.maxKeys(this.pageSize)
			.overrideConfiguration(this.requestOverrides));
	}

	/**
	 * Sorts the page's keys, then, in one transaction, requests the effects for its orphans and records its last key
	 * as done.
	 * @return the page's last key
	 */
	private String sweepPage(SweptBucket swept, SweepMode mode, String runId, List<S3Object> objects,
			Counts counts) {
		S3Bucket bucket = swept.bucket();
		Counts page = new Counts();
		List<S3Object> candidates = new ArrayList<>(objects.size());
		for (S3Object object : objects) {
			if (quarantined(bucket, object.key())) {
				continue;
			}
			page.scanned++;
			if (isDeletable(object.key(), bucket)) {
				candidates.add(object);
			}
			else {
				page.failed++;
				logger.warn("Leaving {} alone: the starter never deletes such a key", SafeText.quote(
						bucket.object(object.key()).toString()));
			}
		}
		Set<String> referenced = candidates.isEmpty() ? Set.of()
				: this.stillReferenced.among(bucket, candidates.stream().map(S3Object::key).toList());
		Instant youngFrom = this.clock.instant().minus(swept.gracePeriod());
		List<S3Object> orphans = new ArrayList<>();
		for (S3Object object : candidates) {
			if (referenced.contains(object.key())) {
				page.referenced++;
			}
			else if (object.lastModified() == null || object.lastModified().isAfter(youngFrom)) {
				page.young++;
			}
			else if (mode == SweepMode.QUARANTINE && quarantineKey(swept, object.key())
				.getBytes(StandardCharsets.UTF_8).length > ObjectKeys.MAX_KEY_BYTES) {
				page.failed++;
				logger.warn("Leaving {} alone: its quarantine key would be longer than {} bytes",
						SafeText.quote(bucket.object(object.key()).toString()), ObjectKeys.MAX_KEY_BYTES);
			}
			else {
				orphans.add(object);
			}
		}
		String lastKey = objects.get(objects.size() - 1).key();
		this.newTransaction.executeWithoutResult(status -> {
			orphans.forEach(orphan -> request(swept, mode, orphan.key()));
			if (!this.store.advance(bucket.id(), runId, lastKey)) {
				throw new IllegalStateException("Another run took over the sweep of bucket " + bucket.id()
						+ ", as this one had recorded no progress for " + this.staleAfter);
			}
		});
		for (S3Object orphan : orphans) {
			page.orphans++;
			page.bytes += orphan.size() == null ? 0 : orphan.size();
			if (logger.isDebugEnabled()) {
				logger.debug("Orphan ({}): {}, {} bytes, last modified {}", mode,
						SafeText.quote(bucket.object(orphan.key()).toString()), orphan.size(), orphan.lastModified());
			}
		}
		counts.add(page);
		return lastKey;
	}

	private void request(SweptBucket swept, SweepMode mode, String key) {
		S3Bucket bucket = swept.bucket();
		switch (mode) {
			case DELETE -> this.effects.request(S3DeleteEffect.NAME,
					new S3DeleteEffect.ObjectToDelete(bucket.id(), bucket.name(), key));
			case QUARANTINE -> this.effects.request(S3QuarantineEffect.NAME,
					new S3QuarantineEffect.ObjectToQuarantine(bucket.id(), bucket.name(), key,
							quarantineKey(swept, key)));
			case DRY_RUN -> {
			}
		}
	}

	/**
	 * Whether {@code key} is a quarantined copy: under the quarantine prefix of any swept binding of the same real
	 * bucket, not only the one swept now. Their copies are no binding's references, and another binding's prefix may
	 * hold them: swept as orphans, they would be deleted before their undo window ends.
	 */
	private boolean quarantined(S3Bucket bucket, String key) {
		for (SweptBucket swept : this.buckets.values()) {
			if (swept.bucket().name().equals(bucket.name()) && key.startsWith(swept.quarantinePrefix())) {
				return true;
			}
		}
		return false;
	}

	private static String quarantineKey(SweptBucket swept, String key) {
		return swept.quarantinePrefix() + key;
	}

	/**
	 * Whether the starter would delete {@code key} as a reference of {@code bucket}: a key it refuses as a reference
	 * (control characters, {@code .} segments) is never deleted, whatever lists it.
	 */
	private static boolean isDeletable(String key, S3Bucket bucket) {
		try {
			// The URI form names the key as it is, even one that starts with s3://.
			return ObjectKeys.keyOf("s3://" + bucket.name() + "/" + key, bucket).equals(key);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** What a run, or one page of it, counted. */
	private static final class Counts {

		long scanned;

		long referenced;

		long young;

		long orphans;

		long failed;

		long bytes;

		void add(Counts page) {
			this.scanned += page.scanned;
			this.referenced += page.referenced;
			this.young += page.young;
			this.orphans += page.orphans;
			this.failed += page.failed;
			this.bytes += page.bytes;
		}

	}

}
