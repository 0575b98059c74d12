package io.mutationhooks.s3;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

import io.mutationhooks.effects.Effects;
import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepAlreadyRunningException;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;
import io.mutationhooks.s3.sweep.SweepStore;
import io.mutationhooks.s3.sweep.SweptBucket;
import io.mutationhooks.testaggregates.Album;
import io.mutationhooks.testaggregates.Album.Cover;
import io.mutationhooks.testaggregates.Album.Credit;
import io.mutationhooks.testaggregates.Album.Page;
import io.mutationhooks.testaggregates.Album.Sticker;
import io.mutationhooks.testaggregates.AlbumRepository;
import io.mutationhooks.testapp.EffectRows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The orphan sweeper against S3Proxy and the test database: what each mode does to the objects under the bucket's
 * prefix that no row refers to, what it spares (references in either form and inside aggregates, young objects, keys
 * outside the prefix, a row committed while it runs, a write checking a key), how an interrupted run goes on, and
 * the reports it keeps. Sweepers with another clock or page size are made from the context's beans.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "mutation-hooks.s3.buckets.avatars.prefix=app/",
		"mutation-hooks.s3.buckets.avatars.sweep.enabled=true", "logging.level.io.mutationhooks.s3.sweep=INFO" })
class OrphanSweepIntegrationTests extends S3ProxyIntegrationTestSupport {

	/** Objects put by a test are two hours old for a sweeper on this clock, past the default hour of grace. */
	private static final Clock TWO_HOURS_LATER = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));

	@Autowired
	OrphanSweeper sweeper;

	@Autowired
	AlbumRepository albums;

	@Autowired
	StillReferenced stillReferenced;

	@Autowired
	Effects effects;

	@Autowired
	SweepStore store;

	@Autowired
	KeyLeases leases;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	JdbcDialect dialect;

	@Autowired
	S3References references;

	@Autowired
	RelationalMappingContext mappingContext;

	@BeforeEach
	void noSweepsYet() {
		this.jdbc.update("DELETE FROM mutation_hooks_s3_sweep");
		this.jdbc.update("DELETE FROM mutation_hooks_s3_sweep_report");
	}

	@Test
	void aDryRunDeletesNothingAndReportsWhatADeleteWouldTake(CapturedOutput output) {
		put(AVATARS, "app/kept.png");
		insertMember("kept", "app/kept.png");
		put(AVATARS, "app/orphan-1.png");
		put(AVATARS, "app/orphan-2.png");
		put(AVATARS, "other/outside.png");

		SweepReport report = sweeper(TWO_HOURS_LATER, 1000).sweep(AVATARS, SweepMode.DRY_RUN);

		assertThat(report.complete()).isTrue();
		assertThat(report.mode()).isEqualTo(SweepMode.DRY_RUN);
		assertThat(report.scanned()).as("scanned").isEqualTo(3);
		assertThat(report.referenced()).as("referenced").isEqualTo(1);
		assertThat(report.young()).as("young").isZero();
		assertThat(report.orphans()).as("orphans").isEqualTo(2);
		assertThat(report.failed()).as("failed").isZero();
		assertThat(report.bytesReclaimed()).isEqualTo(2L * "image of app/orphan-1.png".length());
		assertThat(report.resumedAfter()).isNull();
		assertThat(report.error()).isNull();
		assertThat(EffectRows.stored(this.jdbc)).as("effects requested").isZero();
		assertThat(keys(AVATARS)).containsExactlyInAnyOrder("app/kept.png", "app/orphan-1.png", "app/orphan-2.png",
				"other/outside.png");
		assertThat(output).contains("INFO").contains("Sweep of bucket avatars (avatars, dry-run) done in ")
			.contains(": scanned 3, referenced 1, young 0, orphans (not deleted: dry run) 2 (50 bytes), failed 0");
		assertThat(this.sweeper.lastReports(AVATARS)).containsExactly(report);
	}

	@Test
	void theConfiguredSweeperRunsInItsConfiguredModeADryRun() {
		put(AVATARS, "app/orphan.png");

		SweepReport report = this.sweeper.sweep(AVATARS);

		assertThat(report.mode()).isEqualTo(SweepMode.DRY_RUN);
		assertThat(report.young()).as("younger than the default hour of grace").isOne();
		assertThat(exists(AVATARS, "app/orphan.png")).isTrue();
	}

	@Test
	void aDeleteRemovesExactlyTheObjectsNoRowRefersToUnderThePrefix() {
		List<String> referenced = List.of("app/plain.png", "app/uri.png", "app/photo.png", "app/cover.png",
				"app/scan.png", "app/sticker.png", "app/portrait.png");
		referenced.forEach(key -> put(AVATARS, key));
		insertMember("plain", "app/plain.png");
		insertMember("uri", "s3://avatars/app/uri.png");
		Album album = new Album("holiday", "app/photo.png");
		album.setCover(new Cover("app/cover.png", "the sea"));
		album.setPages(List.of(new Page("app/scan.png")));
		album.setStickers(Map.of("star", new Sticker("app/sticker.png")));
		album.setCredit(new Credit("a8m", "app/portrait.png"));
		this.albums.save(album);
		put(AVATARS, "app/orphan-1.png");
		put(AVATARS, "app/deep/orphan-2.png");
		put(AVATARS, "other/outside.png");
		put(AVATARS, "app.png");

		SweepReport report = sweeper(TWO_HOURS_LATER, 1000).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(report.scanned()).isEqualTo(9);
		assertThat(report.referenced()).isEqualTo(7);
		assertThat(report.orphans()).isEqualTo(2);
		assertThat(keys(AVATARS)).as("the referenced objects, and those outside the prefix")
			.containsExactlyInAnyOrderElementsOf(concat(referenced, List.of("other/outside.png", "app.png")));
		assertThat(this.requests.timesDeleted("app/orphan-1.png")).isOne();
		assertThat(this.requests.timesDeleted("app/deep/orphan-2.png")).isOne();
	}

	@Test
	void theGracePeriodSparesObjectsYoungerThanItUntilTheyAreOlder() {
		put(AVATARS, "app/just-uploaded.png");

		SweepReport now = sweeper(Clock.systemUTC(), 1000).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(now.young()).isOne();
		assertThat(now.orphans()).isZero();
		assertThat(exists(AVATARS, "app/just-uploaded.png")).isTrue();

		SweepReport later = sweeper(TWO_HOURS_LATER, 1000).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(later.young()).isZero();
		assertThat(later.orphans()).isOne();
		assertThat(exists(AVATARS, "app/just-uploaded.png")).isFalse();
	}

	@Test
	void aQuarantineMovesOrphansUnderTheQuarantinePrefixWhichLaterSweepsLeaveAlone() {
		put(AVATARS, "app/kept.png");
		insertMember("kept", "app/kept.png");
		put(AVATARS, "app/orphan.png");
		OrphanSweeper quarantining = sweeper(TWO_HOURS_LATER, 1000, SweepMode.QUARANTINE, "app/lost+found/", 10);

		SweepReport report = quarantining.sweep(AVATARS, SweepMode.QUARANTINE);
		flushCleanup();

		assertThat(report.orphans()).isOne();
		assertThat(keys(AVATARS)).containsExactlyInAnyOrder("app/kept.png", "app/lost+found/app/orphan.png");
		assertThat(this.s3.getObjectAsBytes(request -> request.bucket(AVATARS).key("app/lost+found/app/orphan.png"))
			.asUtf8String()).isEqualTo("image of app/orphan.png");

		SweepReport again = quarantining.sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(again.scanned()).as("the quarantine is not scanned").isOne();
		assertThat(keys(AVATARS)).containsExactlyInAnyOrder("app/kept.png", "app/lost+found/app/orphan.png");
	}

	@Test
	void aRowCommittedBetweenTheListingAndTheDeleteKeepsItsObject() {
		put(AVATARS, "app/late.png");
		put(AVATARS, "app/orphan.png");
		StillReferenced thenARowIsCommitted = (bucket, keys) -> {
			Set<String> referenced = this.stillReferenced.among(bucket, keys);
			insertMember("late", "app/late.png");
			return referenced;
		};

		SweepReport report = sweeper(thenARowIsCommitted, TWO_HOURS_LATER, 1000, SweepMode.DELETE, "lost+found/", 10)
			.sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(report.orphans()).as("orphans when the page was checked").isEqualTo(2);
		assertThat(keys(AVATARS)).containsExactly("app/late.png");
		assertThat(this.requests.deleteAttempts("app/late.png")).as("checked again right before the delete").isZero();
	}

	@Test
	void anObjectAWriteIsCheckingIsDeletedOnlyOnceTheWriteIsDone(CapturedOutput output) {
		put(AVATARS, "app/checked.png");
		KeyLeases.Lease lease = this.leases.lease(List.of(new S3Bucket.S3Object(AVATARS, "app/checked.png")));
		try {
			SweepReport report = sweeper(TWO_HOURS_LATER, 1000).sweep(AVATARS, SweepMode.DELETE);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output)
				.as("the effect tried, and postponed the delete")
				.contains("Postponed the delete of s3://avatars/app/checked.png: a write is checking that it exists"));

			assertThat(report.orphans()).isOne();
			assertThat(this.requests.deleteAttempts("app/checked.png")).isZero();
			assertThat(EffectRows.unsettled(this.jdbc)).as("the delete, postponed").isOne();
			assertThat(exists(AVATARS, "app/checked.png")).isTrue();
		}
		finally {
			this.leases.release(List.of(lease));
		}
		flushCleanup();

		assertThat(exists(AVATARS, "app/checked.png")).isFalse();
	}

	@Test
	void aSweepOfManyPagesChecksEachPageAndListsEachPageOnce() {
		List<String> orphans = putOrphans(5);
		put(AVATARS, "app/z-kept.png");
		insertMember("kept", "app/z-kept.png");
		this.requests.reset();

		SweepReport report = sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(this.requests.count("ListObjectsV2")).isEqualTo(3);
		assertThat(report.scanned()).isEqualTo(6);
		assertThat(report.orphans()).isEqualTo(5);
		assertThat(keys(AVATARS)).containsExactly("app/z-kept.png");
		orphans.forEach(key -> assertThat(this.requests.timesDeleted(key)).as(key).isOne());
	}

	@Test
	void theNextPageIsListedWhileThePageBeforeItIsCheckedAgainstTheDatabase() {
		putOrphans(5);
		this.requests.reset();
		List<Integer> listedWhenChecked = new ArrayList<>();
		StillReferenced counting = (bucket, keys) -> {
			// Pages of 2 keys: 3 pages, the next one asked for as soon as the one before it has come.
			int asked = Math.min(listedWhenChecked.size() + 2, 3);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.requests.count("ListObjectsV2") >= asked);
			listedWhenChecked.add(this.requests.count("ListObjectsV2"));
			return this.stillReferenced.among(bucket, keys);
		};

		SweepReport report = sweeper(counting, TWO_HOURS_LATER, 2, SweepMode.DRY_RUN, "lost+found/", 10)
			.sweep(AVATARS);

		assertThat(report.scanned()).isEqualTo(5);
		assertThat(listedWhenChecked).as("pages listed when each page of 2 keys was checked: the next one too")
			.containsExactly(2, 3, 3);
		assertThat(this.requests.count("ListObjectsV2")).as("each page listed once").isEqualTo(3);
	}

	@Test
	void aPageOfAThousandKeysIsCheckedWithOneQueryPerColumnThatRefersToTheBucketInBothForms() {
		insertMember("kept", "s3://avatars/app/key-0005.png");
		S3Bucket avatars = this.sweeper.buckets().get(AVATARS).bucket();
		List<Integer> valuesPerQuery = new ArrayList<>();
		NamedParameterJdbcTemplate counting = new NamedParameterJdbcTemplate(this.jdbc) {
			@Override
			public <T> List<T> queryForList(String sql, Map<String, ?> parameters, Class<T> elementType) {
				valuesPerQuery.add(((Collection<?>) parameters.get("values")).size());
				return super.queryForList(sql, parameters, elementType);
			}
		};
		StillReferenced stillReferenced = new JdbcStillReferenced(this.references, counting, this.mappingContext,
				this.dialect);
		List<String> page = IntStream.range(0, 1000).mapToObj(n -> "app/key-%04d.png".formatted(n)).toList();

		assertThat(stillReferenced.among(avatars, page)).containsExactly("app/key-0005.png");
		int columns = new ReferenceColumns(this.references, this.mappingContext).referencing(avatars).size();
		assertThat(columns).as("columns referring to the bucket in the test application").isGreaterThan(1);
		assertThat(valuesPerQuery).as("one query per column, each with the page's keys in both forms")
			.hasSize(columns)
			.containsOnly(2000);
	}

	@Test
	void aKeyWithAControlCharacterIsCountedAsFailedAndTheSweepGoesOnPastIt() {
		put(AVATARS, "app/a.png");
		put(AVATARS, "app/b\u0001.png");
		put(AVATARS, "app/c.png");
		put(AVATARS, "app/d.png");

		// Pages of three: S3Proxy writes a truncated page's NextContinuationToken (its last key) unencoded, where S3's
		// token is opaque, so the key must not end a page here.
		SweepReport report = sweeper(TWO_HOURS_LATER, 3).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(report.error()).isNull();
		assertThat(report.complete()).isTrue();
		assertThat(report.scanned()).isEqualTo(4);
		assertThat(report.failed()).as("never deleted").isOne();
		assertThat(report.orphans()).isEqualTo(3);
		assertThat(keys(AVATARS)).containsExactly("app/b\u0001.png");
	}

	@Test
	void aSweepThatFailsOnTheWayIsResumedAfterItsLastPageByTheNextRunOfItsMode() {
		List<String> orphans = putOrphans(7);
		failTheListRequest(3);

		SweepReport interrupted = sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(interrupted.complete()).isFalse();
		assertThat(interrupted.error()).contains("S3 went away");
		assertThat(interrupted.scanned()).isEqualTo(4);
		assertThat(keys(AVATARS)).containsExactlyElementsOf(orphans.subList(4, 7));

		this.requests.reset();
		SweepReport resumed = sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(resumed.complete()).isTrue();
		assertThat(resumed.resumedAfter()).isEqualTo(orphans.get(3));
		assertThat(resumed.scanned()).isEqualTo(3);
		assertThat(this.requests.count("ListObjectsV2")).isEqualTo(2);
		assertThat(keys(AVATARS)).isEmpty();
	}

	@Test
	void aRunStoppedByAnErrorLongerThanTheReportsColumnKeepsItsReportWithTheErrorCutToFit() {
		putOrphans(1);
		// Each control character grows to six characters when escaped for the log and the report.
		String longMessage = "the database said: " + "\u0001".repeat(1500);
		StillReferenced failingAtLength = (bucket, keys) -> {
			throw new IllegalStateException(longMessage);
		};

		SweepReport report = sweeper(failingAtLength, TWO_HOURS_LATER, 1000, SweepMode.DELETE, "lost+found/", 10)
			.sweep(AVATARS, SweepMode.DELETE);

		assertThat(report.complete()).isFalse();
		assertThat(this.sweeper.lastReports(AVATARS)).singleElement().satisfies(stored -> {
			assertThat(stored.runId()).isEqualTo(report.runId());
			assertThat(stored.complete()).isFalse();
			assertThat(stored.error()).startsWith("java.lang.IllegalStateException: the database said: \\u0001")
				.endsWith("...(cut)")
				.hasSizeLessThanOrEqualTo(2000);
		});
	}

	@Test
	void aRunOfAnotherModeStartsOverAndForgetsTheInterruptedOne() {
		List<String> orphans = putOrphans(5);
		failTheListRequest(2);
		assertThat(sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE).complete()).isFalse();
		flushCleanup();

		SweepReport dryRun = sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DRY_RUN);
		SweepReport deleting = sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(dryRun.resumedAfter()).isNull();
		assertThat(dryRun.scanned()).isEqualTo(3);
		assertThat(deleting.resumedAfter()).as("the dry run took the bucket's progress over").isNull();
		assertThat(deleting.scanned()).isEqualTo(3);
		assertThat(keys(AVATARS)).isEmpty();
		assertThat(orphans).allSatisfy(key -> assertThat(this.requests.timesDeleted(key)).as(key).isOne());
	}

	@Test
	void anErrorThrownMidRunIsThrownOnOnceTheRunHasLetGoOfItsBucketAndKeptItsReport() {
		List<String> orphans = putOrphans(5);
		AtomicInteger checks = new AtomicInteger();
		StillReferenced overflowingOnTheThirdPage = (bucket, keys) -> {
			if (checks.incrementAndGet() == 3) {
				throw new StackOverflowError("deep down");
			}
			return this.stillReferenced.among(bucket, keys);
		};

		assertThatExceptionOfType(StackOverflowError.class).isThrownBy(() -> sweeper(overflowingOnTheThirdPage,
				TWO_HOURS_LATER, 2, SweepMode.DELETE, "lost+found/", 10).sweep(AVATARS, SweepMode.DELETE));

		assertThat(this.sweeper.lastReports(AVATARS)).singleElement().satisfies(report -> {
			assertThat(report.complete()).isFalse();
			assertThat(report.scanned()).isEqualTo(4);
			assertThat(report.error()).isEqualTo("java.lang.StackOverflowError: deep down");
		});
		SweepReport next = sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();
		assertThat(next.resumedAfter()).as("the bucket let go of at once, its progress kept").isEqualTo(orphans.get(3));
		assertThat(keys(AVATARS)).isEmpty();
	}

	@Test
	void anEmptyPageMarkedTruncatedEndsTheRunWithAnErrorRatherThanAskingForItAgain() {
		AtomicInteger lists = new AtomicInteger();
		S3Client answeringEmptyTruncatedPages = new S3Client() {

			@Override
			public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
				if (lists.incrementAndGet() > 3) {
					throw new IllegalStateException("listed the same page " + lists.get() + " times");
				}
				return ListObjectsV2Response.builder().isTruncated(true).keyCount(0).build();
			}

			@Override
			public String serviceName() {
				return SERVICE_NAME;
			}

			@Override
			public void close() {
			}

		};

		SweepReport report = sweeper(answeringEmptyTruncatedPages).sweep(AVATARS, SweepMode.DELETE);

		assertThat(report.complete()).isFalse();
		assertThat(report.error()).isEqualTo("java.lang.IllegalStateException: S3 answered an empty page marked "
				+ "truncated, listing after the start: asking again would get the same page for ever");
		assertThat(lists).hasValue(1);
	}

	@Test
	void aRunThatDiedHoldsItsBucketUntilItIsStaleAndIsThenResumedAfterItsLastPage() throws InterruptedException {
		List<String> orphans = putOrphans(5);
		failTheListRequest(3);
		assertThat(sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE).complete()).isFalse();
		flushCleanup();
		assertThat(keys(AVATARS)).containsExactly(orphans.get(4));
		// Its process died holding the bucket, after its last progress.
		this.jdbc.update("UPDATE mutation_hooks_s3_sweep SET run_id = 'dead', heartbeat_at = "
				+ DatabaseClock.of(this.dialect).now() + " WHERE bucket = ?", AVATARS);

		assertThatExceptionOfType(SweepAlreadyRunningException.class)
			.isThrownBy(() -> sweeper(TWO_HOURS_LATER, 2).sweep(AVATARS, SweepMode.DELETE))
			.withMessage("The bucket avatars is being swept by another run; try again once it has ended");
		assertThatExceptionOfType(SweepAlreadyRunningException.class).as("a scheduled run too")
			.isThrownBy(() -> this.sweeper.sweep(AVATARS));

		Thread.sleep(1200);
		this.requests.reset();
		SweepReport resumed = sweeper(this.s3, this.stillReferenced, TWO_HOURS_LATER, 2, SweepMode.DELETE,
				"lost+found/", 10, Duration.ofSeconds(1)).sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(resumed.resumedAfter()).isEqualTo(orphans.get(3));
		assertThat(resumed.scanned()).isOne();
		assertThat(this.requests.count("ListObjectsV2")).isOne();
		assertThat(keys(AVATARS)).isEmpty();
	}

	@Test
	void theLastReportsAreKeptTheNewestFirstAndOlderOnesDropped() {
		OrphanSweeper keepingThree = sweeper(TWO_HOURS_LATER, 1000, SweepMode.DRY_RUN, "lost+found/", 3);
		List<String> runs = new ArrayList<>();
		for (int run = 0; run < 5; run++) {
			put(AVATARS, "app/orphan-" + run + ".png");
			runs.add(keepingThree.sweep(AVATARS).runId());
		}

		List<SweepReport> kept = keepingThree.lastReports(AVATARS);

		assertThat(kept).extracting(SweepReport::runId).containsExactly(runs.get(4), runs.get(3), runs.get(2));
		assertThat(kept).extracting(SweepReport::orphans).containsExactly(5L, 4L, 3L);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM mutation_hooks_s3_sweep_report", Long.class))
			.isEqualTo(3);
	}

	@Test
	void aDeleteLeavesAloneTheCopiesAnotherBindingOfTheBucketQuarantinedUnderItsPrefix() {
		put(AVATARS, "app/trash/app/users/quarantined.png");
		put(AVATARS, "app/orphan.png");
		SweptBucket avatars = this.sweeper.buckets().get(AVATARS);
		// Another binding of the same real bucket, inside the avatars binding's prefix, quarantining inside it too.
		SweptBucket users = new SweptBucket(new S3Bucket("users", avatars.bucket().name(), "app/users/", true, true),
				SweepMode.QUARANTINE, Duration.ZERO, "app/trash/", 10);
		OrphanSweeper sweeper = new OrphanSweeper(this.s3, AwsRequestOverrideConfiguration.builder().build(),
				this.stillReferenced, this.effects, this.store, new TransactionTemplate(this.transactionManager),
				List.of(new SweptBucket(avatars.bucket(), SweepMode.DELETE, Duration.ZERO, "lost+found/", 10), users),
				1000, TWO_HOURS_LATER, OrphanSweeper.STALE_AFTER);

		SweepReport report = sweeper.sweep(AVATARS, SweepMode.DELETE);
		flushCleanup();

		assertThat(report.scanned()).isOne();
		assertThat(report.orphans()).isOne();
		assertThat(keys(AVATARS)).containsExactly("app/trash/app/users/quarantined.png");
	}

	@Test
	void aBucketThatIsNotSweptCannotBeSwept() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.sweeper.sweep("docs"))
			.withMessage("The bucket docs is not swept; these are: [avatars] "
					+ "(mutation-hooks.s3.buckets.<name>.sweep.enabled)");
	}

	@Test
	void aBucketThatWritesCanReferToWithoutALeaseIsOnlyDryRunEvenWhenADeleteIsAskedFor() {
		put(AVATARS, "app/old.png");
		SweptBucket avatars = this.sweeper.buckets().get(AVATARS);
		S3Bucket unchecked = new S3Bucket(AVATARS, avatars.bucket().name(), avatars.bucket().prefix(), false, true);
		OrphanSweeper sweeper = new OrphanSweeper(this.s3, AwsRequestOverrideConfiguration.builder().build(),
				this.stillReferenced, this.effects, this.store, new TransactionTemplate(this.transactionManager),
				List.of(new SweptBucket(unchecked, SweepMode.DRY_RUN, Duration.ZERO, "lost+found/", 10)), 1000,
				TWO_HOURS_LATER, OrphanSweeper.STALE_AFTER);

		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> sweeper.sweep(AVATARS, SweepMode.DELETE))
			.withMessage("The writes of [avatars] do not lease the objects they refer to in bucket avatars (they have "
					+ "cleanup or verify-on-write false), so a delete sweep could take an object a write is about to "
					+ "refer to; only a dry run can sweep it");
		assertThat(sweeper.sweep(AVATARS).orphans()).as("its configured dry run").isOne();
		assertThat(EffectRows.stored(this.jdbc)).as("effects requested").isZero();
		assertThat(exists(AVATARS, "app/old.png")).isTrue();
	}

	/** Makes the {@code number}th ListObjectsV2 request from now fail, as if S3 went away. */
	private void failTheListRequest(int number) {
		AtomicInteger lists = new AtomicInteger();
		this.requests.onSend(operation -> {
			if (operation.equals("ListObjectsV2") && lists.incrementAndGet() == number) {
				throw SdkClientException.create("S3 went away");
			}
		});
	}

	/** Puts {@code count} objects no row refers to, in key order. */
	private List<String> putOrphans(int count) {
		List<String> keys = IntStream.range(0, count).mapToObj(i -> "app/orphan-" + i + ".png").toList();
		keys.forEach(key -> put(AVATARS, key));
		return keys;
	}

	private OrphanSweeper sweeper(Clock clock, int pageSize) {
		return sweeper(clock, pageSize, SweepMode.DRY_RUN, "lost+found/", 10);
	}

	private OrphanSweeper sweeper(Clock clock, int pageSize, SweepMode mode, String quarantinePrefix,
			int reportsKept) {
		return sweeper(this.stillReferenced, clock, pageSize, mode, quarantinePrefix, reportsKept);
	}

	private OrphanSweeper sweeper(StillReferenced stillReferenced, Clock clock, int pageSize, SweepMode mode,
			String quarantinePrefix, int reportsKept) {
		return sweeper(this.s3, stillReferenced, clock, pageSize, mode, quarantinePrefix, reportsKept,
				OrphanSweeper.STALE_AFTER);
	}

	private OrphanSweeper sweeper(S3Client s3) {
		return sweeper(s3, this.stillReferenced, TWO_HOURS_LATER, 1000, SweepMode.DELETE, "lost+found/", 10,
				OrphanSweeper.STALE_AFTER);
	}

	/** A sweeper of the avatars bucket, as configured but for the arguments. */
	private OrphanSweeper sweeper(S3Client s3, StillReferenced stillReferenced, Clock clock, int pageSize,
			SweepMode mode, String quarantinePrefix, int reportsKept, Duration staleAfter) {
		SweptBucket avatars = this.sweeper.buckets().get(AVATARS);
		TransactionTemplate newTransaction = new TransactionTemplate(this.transactionManager);
		newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		return new OrphanSweeper(s3, AwsRequestOverrideConfiguration.builder().build(), stillReferenced,
				this.effects, this.store, newTransaction, List.of(new SweptBucket(avatars.bucket(), mode,
						avatars.gracePeriod(), quarantinePrefix, reportsKept)),
				pageSize, clock, staleAfter);
	}

	private static List<String> concat(Collection<String> first, Collection<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

}
