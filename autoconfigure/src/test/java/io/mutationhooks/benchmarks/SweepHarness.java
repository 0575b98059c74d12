package io.mutationhooks.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

/**
 * The orphan sweep of a bucket of N objects (100,000 by default) under {@code app/}, half of them referred to by
 * {@code member} rows on PostgreSQL, against a bare ListObjectsV2 pass over the same objects with the same client
 * (pages of 1000 from {@code start-after} the last key, as the sweeper lists). Paired in one JVM
 * ({@link PairedRounds}; {@code -Dclock=cpu} times the calling thread's CPU time), with the {@link SyntheticBucketServer}
 * in this JVM ({@code -Ds3=s3proxy}: the in-memory S3Proxy, whose listing is quadratic in N) and the harness's own
 * PostgreSQL database ({@code sweepbench}, dropped and made anew). Setups:
 * the bare listing, a dry-run sweep (the listing and the database checks), and a delete sweep (grace 0), timed until
 * it returns, when the deletes of its orphans are recorded as durable effects; the time from then until those
 * effects are done is printed apart (wall clock), and the deleted objects are put back, untimed, after each delete
 * block. Counted per sweep: the S3 requests by operation, and the SQL statements by verb and table on the sweeping
 * thread (per page, with the time spent in them) and on all threads (the effects' work included), and the time
 * from each S3 request to its answer. Then, in rounds of their own, a delete sweep timed until its effects are done
 * against a bare listing that deletes each page's orphans by hand (one DeleteObjects a page, no check): the same
 * outcome, the one with the sweep's checks, claims and durable effects.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@sweep}; {@code objects},
 * {@code rounds}, {@code warmup}, {@code database}, {@code -Dindexed=true} (an index on {@code member.avatar_url})
 * {@code -Ddelete=false} (no delete setup) and {@code -Ds3=s3proxy} are system properties ({@code -Dharness.args="-Dclock=cpu"}).
 */
public final class SweepHarness {

	private static final int OBJECTS = Integer.getInteger("objects", 100_000);

	private static final int ROUNDS = Integer.getInteger("rounds", 8);

	private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 2);

	private static final String DATABASE = System.getProperty("database", "sweepbench");

	private static final boolean INDEXED = Boolean.getBoolean("indexed");

	private static final boolean DELETE = !"false".equals(System.getProperty("delete"));

	private static final boolean S3PROXY = "s3proxy".equals(System.getProperty("s3"));

	private static final int PAGES = (OBJECTS + OrphanSweeper.PAGE_SIZE - 1) / OrphanSweeper.PAGE_SIZE;

	private SweepHarness() {
	}

	public static void main(String[] args) {
		try {
			measure();
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			System.exit(1);
		}
		// S3Proxy's threads would keep the JVM alive.
		System.exit(0);
	}

	private static void measure() throws Exception {
		SweepBenchmarkApplication.recreateDatabase(DATABASE);
		SweepBenchmarkApplication.fillDatabase(DATABASE, OBJECTS, INDEXED);
		String endpoint;
		Runnable restoreOrphans;
		AutoCloseable server;
		if (S3PROXY) {
			S3ProxyServer s3Proxy = S3ProxyServer.started();
			long start = System.nanoTime();
			SweepBenchmarkApplication.putObjects(s3Proxy, 0, OBJECTS, 1);
			System.out.printf(Locale.ROOT, "S3Proxy (in-memory store): %,d objects put in %.1f s%n", OBJECTS,
					(System.nanoTime() - start) / 1e9);
			endpoint = s3Proxy.endpoint().toString();
			restoreOrphans = () -> SweepBenchmarkApplication.putObjects(s3Proxy, 1, OBJECTS, 2);
			server = s3Proxy::stop;
		}
		else {
			SyntheticBucketServer synthetic = new SyntheticBucketServer(OBJECTS);
			System.out.printf(Locale.ROOT, "the synthetic bucket server: %,d objects%n", OBJECTS);
			endpoint = synthetic.endpoint().toString();
			restoreOrphans = () -> synthetic.put(1, OBJECTS, 2);
			server = synthetic;
		}
		System.out.printf(Locale.ROOT, "%,d member rows refer to the even-numbered objects%s%n", (OBJECTS + 1) / 2,
				INDEXED ? ", member.avatar_url indexed" : "");
		ConfigurableApplicationContext context = SweepBenchmarkApplication.start(DATABASE, endpoint);
		try {
			run(context, restoreOrphans);
		}
		finally {
			context.close();
			server.close();
		}
	}

	private static void run(ConfigurableApplicationContext context, Runnable restoreOrphans) {
		S3Client s3 = context.getBean(S3Client.class);
		OrphanSweeper sweeper = context.getBean(OrphanSweeper.class);
		JdbcTemplate monitor = new JdbcTemplate(new SingleConnectionDataSource(
				SweepBenchmarkApplication.SERVER + DATABASE, "postgres", "", true));
		SweepBenchmarkApplication.S3Requests requests = context.getBean(SweepBenchmarkApplication.S3Requests.class);
		SweepBenchmarkApplication.Statements statements = context
			.getBean(SweepBenchmarkApplication.Statements.class);
		statements.watch(Thread.currentThread());
		Map<String, String> lastCounts = new LinkedHashMap<>();
		List<Double> effectsMillis = new ArrayList<>();
		Map<String, PairedRounds.Block> blocks = new LinkedHashMap<>();
		blocks.put("bare ListObjectsV2 pass", () -> {
			reset(requests, statements);
			long begin = PairedRounds.now();
			long listed = listAll(s3);
			long nanos = PairedRounds.now() - begin;
			check(listed == OBJECTS, "listed " + listed + " objects, not " + OBJECTS);
			lastCounts.put("bare ListObjectsV2 pass", sweepingThread(statements) + "; "
					+ requestsAndAllThreads(requests, statements));
			return (double) nanos / PAGES;
		});
		blocks.put("sweep, dry run", () -> {
			reset(requests, statements);
			long begin = PairedRounds.now();
			SweepReport report = sweeper.sweep(SweepBenchmarkApplication.BUCKET, SweepMode.DRY_RUN);
			long nanos = PairedRounds.now() - begin;
			checkReport(report);
			lastCounts.put("sweep, dry run", sweepingThread(statements) + "; "
					+ requestsAndAllThreads(requests, statements));
			return (double) nanos / PAGES;
		});
		if (DELETE) {
			blocks.put("sweep, delete (until it returns)", () -> {
				reset(requests, statements);
				long begin = PairedRounds.now();
				long wallBegin = System.nanoTime();
				SweepReport report = sweeper.sweep(SweepBenchmarkApplication.BUCKET, SweepMode.DELETE);
				long nanos = PairedRounds.now() - begin;
				long returned = System.nanoTime();
				String sweeping = sweepingThread(statements);
				// Polled on a connection of its own, so the polling is not counted.
				SweepBenchmarkApplication.awaitEffects(monitor);
				long done = System.nanoTime();
				String all = requestsAndAllThreads(requests, statements);
				checkReport(report);
				check(SweepBenchmarkApplication.parkedEffects(monitor) == 0, "effects parked");
				long left = listAll(s3);
				check(left == OBJECTS / 2, left + " objects left, not " + OBJECTS / 2);
				effectsMillis.add((done - returned) / 1e6);
				lastCounts.put("sweep, delete", String.format(Locale.ROOT,
						"%.0f ms to return (wall), then %.0f ms until its effects were done; %s; %s",
						(returned - wallBegin) / 1e6, (done - returned) / 1e6, sweeping, all));
				// Back to N objects for the next block, untimed: the odd-numbered ones were deleted.
				restoreOrphans.run();
				return (double) nanos / PAGES;
			});
		}
		System.out.printf(Locale.ROOT, "timing %s; load average before: %s%n", PairedRounds.clock(), SweepBenchmarkApplication.load());
		new PairedRounds(WARMUP_ROUNDS, ROUNDS).measure(String.format(Locale.ROOT,
				"sweep of %,d objects (%,d referenced), %d pages, against a bare listing", OBJECTS, (OBJECTS + 1) / 2,
				PAGES), "page", blocks);
		System.out.printf(Locale.ROOT, "load average after: %s%n", SweepBenchmarkApplication.load());
		if (DELETE) {
			// A delete sweep does work a bare listing does not: it deletes the orphans. Against a listing that
			// deletes them too, by hand, each page's odd-numbered keys in one DeleteObjects, with no check at all.
			Map<String, PairedRounds.Block> deletes = new LinkedHashMap<>();
			deletes.put("bare listing, deleting by hand", () -> {
				long begin = PairedRounds.now();
				long deleted = listAndDeleteOrphansByHand(s3);
				long nanos = PairedRounds.now() - begin;
				check(deleted == OBJECTS / 2, "deleted " + deleted + " objects by hand, not " + OBJECTS / 2);
				check(listAll(s3) == OBJECTS / 2, "objects left after deleting by hand");
				restoreOrphans.run();
				return (double) nanos / PAGES;
			});
			deletes.put("sweep, delete (until its effects are done)", () -> {
				reset(requests, statements);
				long begin = PairedRounds.now();
				SweepReport report = sweeper.sweep(SweepBenchmarkApplication.BUCKET, SweepMode.DELETE);
				SweepBenchmarkApplication.awaitEffects(monitor);
				long nanos = PairedRounds.now() - begin;
				checkReport(report);
				check(SweepBenchmarkApplication.parkedEffects(monitor) == 0, "effects parked");
				check(listAll(s3) == OBJECTS / 2, "objects left after the delete sweep");
				restoreOrphans.run();
				return (double) nanos / PAGES;
			});
			new PairedRounds(WARMUP_ROUNDS, ROUNDS).measure(String.format(Locale.ROOT,
					"deleting the %,d orphans of %,d objects, against a bare listing that deletes them by hand",
					OBJECTS / 2, OBJECTS), "page", deletes);
			System.out.printf(Locale.ROOT, "load average after: %s%n", SweepBenchmarkApplication.load());
		}
		if (!effectsMillis.isEmpty()) {
			double[] sorted = effectsMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			System.out.printf(Locale.ROOT, "delete sweep, from its return until its effects were done (wall clock, "
					+ "warm-up included): median %.0f ms, %.0f to %.0f ms over %d blocks%n", sorted[sorted.length / 2],
					sorted[0], sorted[sorted.length - 1], sorted.length);
		}
		System.out.println("counts of the last block of each setup:");
		lastCounts.forEach((name, counts) -> System.out.printf(Locale.ROOT, "  %s: %s%n", name, counts));
	}

	/** Lists every object under the prefix, a page of 1000 at a time. @return how many */
	private static long listAll(S3Client s3) {
		return listAll(s3, page -> {
		});
	}

	/**
	 * Lists every object under the prefix, a page of 1000 at a time from {@code start-after} the last key, as the
	 * sweeper lists, handing each page to {@code eachPage}. @return how many
	 */
	private static long listAll(S3Client s3, Consumer<List<S3Object>> eachPage) {
		long listed = 0;
		String after = null;
		ListObjectsV2Response page;
		do {
			String startAfter = after;
			page = s3.listObjectsV2(request -> request.bucket(SweepBenchmarkApplication.BUCKET)
				.prefix(SweepBenchmarkApplication.PREFIX)
				.startAfter(startAfter)
				.maxKeys(OrphanSweeper.PAGE_SIZE));
			eachPage.accept(page.contents());
			listed += page.contents().size();
			if (!page.contents().isEmpty()) {
				after = page.contents().get(page.contents().size() - 1).key();
			}
		}
		while (Boolean.TRUE.equals(page.isTruncated()));
		return listed;
	}

	/**
	 * Lists every object under the prefix as {@link #listAll} does, and deletes each page's orphans, the odd-numbered
	 * objects, with one DeleteObjects request. @return how many were deleted
	 */
	private static long listAndDeleteOrphansByHand(S3Client s3) {
		long[] deleted = { 0 };
		listAll(s3, objects -> {
			List<ObjectIdentifier> orphans = objects.stream()
				.filter(object -> SweepBenchmarkApplication.number(object.key()) % 2 == 1)
				.map(object -> ObjectIdentifier.builder().key(object.key()).build())
				.toList();
			if (!orphans.isEmpty()) {
				DeleteObjectsResponse response = s3.deleteObjects(request -> request
					.bucket(SweepBenchmarkApplication.BUCKET)
					.delete(delete -> delete.objects(orphans).quiet(true)));
				check(response.errors().isEmpty(), "DeleteObjects refused " + response.errors());
				deleted[0] += orphans.size();
			}
		});
		return deleted[0];
	}

	private static void checkReport(SweepReport report) {
		check(report.complete() && report.scanned() == OBJECTS && report.referenced() == (OBJECTS + 1) / 2
				&& report.orphans() == OBJECTS / 2 && report.young() == 0 && report.failed() == 0, report.toString());
	}

	private static void check(boolean condition, String what) {
		if (!condition) {
			throw new IllegalStateException("Unexpected: " + what);
		}
	}

	private static void reset(SweepBenchmarkApplication.S3Requests requests,
			SweepBenchmarkApplication.Statements statements) {
		requests.counts.reset();
		requests.nanos.reset();
		statements.reset();
	}

	private static String sweepingThread(SweepBenchmarkApplication.Statements statements) {
		long sweeping = statements.watchedThread.total();
		return String.format(Locale.ROOT, "SQL on the sweeping thread %,d (%.2f a page, %.1f ms a page waiting for "
				+ "them): %s, ms in them %s", sweeping, (double) sweeping / PAGES,
				statements.watchedNanos.total() / 1e6 / PAGES, statements.watchedThread.snapshot(),
				millis(statements.watchedNanos));
	}

	private static Map<String, Long> millis(SweepBenchmarkApplication.Counts nanos) {
		Map<String, Long> millis = new java.util.TreeMap<>();
		nanos.snapshot().forEach((what, n) -> millis.put(what, n / 1_000_000));
		return millis;
	}

	private static String requestsAndAllThreads(SweepBenchmarkApplication.S3Requests requests,
			SweepBenchmarkApplication.Statements statements) {
		return String.format(Locale.ROOT, "S3 %s, ms from request to answer %s; SQL on all threads (db-scheduler's "
				+ "polling included) %,d: %s", requests.counts.snapshot(), millis(requests.nanos),
				statements.allThreads.total(), statements.allThreads.snapshot());
	}

}
