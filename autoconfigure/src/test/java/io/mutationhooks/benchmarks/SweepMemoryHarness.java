package io.mutationhooks.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

/**
 * What heap the sweeping JVM takes for a bucket of N objects, half of them referred to by {@code member} rows on
 * PostgreSQL: this JVM serves the bucket ({@link SyntheticBucketServer}) and fills a database of its own
 * ({@code sweepbench_memory}, dropped and made anew for each N), then a child JVM with a small heap starts the
 * application (grace 0), sweeps the bucket in a dry run, then in delete mode, and waits until the deletes' durable
 * effects are done. The heap figures come from the child's GC notifications, per phase, as
 * {@link DeleteAllMemoryHarness} takes them: the most in use when a collection began, the most in use after one (an
 * upper bound of the live data), and the live data after full collections if there were any. Afterwards this JVM
 * checks that exactly the odd-numbered objects, the orphans, are gone.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@sweep-memory}; the system
 * properties {@code objects} (comma-separated counts, default {@code 100000,1000000}), {@code heap} (the child's
 * {@code -Xmx}, default {@code 128m}), {@code database}, {@code -Dindexed=true} (an index on
 * {@code member.avatar_url}) and {@code -Dlive-every=250} (a full collection in the child every 250 ms, so that the
 * live data is measured, not only an upper bound of it) go in {@code -Dharness.args="-Dobjects=100000 -Dheap=64m"}.
 */
public final class SweepMemoryHarness {

	private static final long MIB = 1024 * 1024;

	private SweepMemoryHarness() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("--child")) {
			Child.main(args);
			return;
		}
		String database = System.getProperty("database", "sweepbench_memory");
		String heap = System.getProperty("heap", "128m");
		List<Integer> counts = new ArrayList<>();
		for (String count : System.getProperty("objects", "100000,1000000").split(",")) {
			counts.add(Integer.parseInt(count.trim()));
		}
		int failures = 0;
		for (int objects : counts) {
			SweepBenchmarkApplication.recreateDatabase(database);
			SweepBenchmarkApplication.fillDatabase(database, objects, Boolean.getBoolean("indexed"));
			try (SyntheticBucketServer server = new SyntheticBucketServer(objects)) {
				System.out.printf(Locale.ROOT, "%nsweep of %,d objects (%,d referenced), child JVM -Xmx%s, PostgreSQL "
						+ "database %s%s; load average %s%n", objects, (objects + 1) / 2, heap, database,
						Boolean.getBoolean("indexed") ? ", member.avatar_url indexed" : "", SweepBenchmarkApplication.load());
				int exit = runChild(database, heap, objects, server);
				int wrong = 0;
				for (int n = 0; n < objects; n++) {
					if (server.isPresent(n) != (n % 2 == 0)) {
						wrong++;
					}
				}
				System.out.printf(Locale.ROOT, "  bucket afterwards: %,d objects, %,d of them not as they should be "
						+ "(the even-numbered kept, the odd-numbered deleted); %,d ListObjectsV2 and %,d DeleteObjects "
						+ "requests served; load average %s%n", server.count(), wrong, server.lists.get(),
						server.deletes.get(), SweepBenchmarkApplication.load());
				if (exit != 0 || wrong != 0) {
					System.out.println("  FAILED: child exited with " + exit);
					failures++;
				}
			}
		}
		System.exit(failures == 0 ? 0 : 1);
	}

	private static int runChild(String database, String heap, int objects, SyntheticBucketServer server)
			throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = List.of(java.toString(), "-Xmx" + heap,
				"-Dlive-every=" + Integer.getInteger("live-every", 0), "-cp", System.getProperty("java.class.path"),
				SweepMemoryHarness.class.getName(), "--child", database, String.valueOf(objects),
				server.endpoint().toString());
		Process child = new ProcessBuilder(command).inheritIO().start();
		if (!child.waitFor(90, TimeUnit.MINUTES)) {
			child.destroyForcibly();
			return -1;
		}
		return child.exitValue();
	}

	/** The sweeping JVM with the small heap. */
	static final class Child {

		private Child() {
		}

		static void main(String[] args) {
			String database = args[1];
			int objects = Integer.parseInt(args[2]);
			String endpoint = args[3];
			int exit = 5;
			try {
				DeleteAllMemoryHarness.HeapWatch heap = DeleteAllMemoryHarness.HeapWatch.start();
				ConfigurableApplicationContext context = SweepBenchmarkApplication.start(database, endpoint);
				exit = run(context, objects, heap);
			}
			catch (Throwable ex) {
				boolean outOfMemory = false;
				for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
					outOfMemory |= cause instanceof OutOfMemoryError;
				}
				System.out.println("  " + (outOfMemory ? "OUT OF MEMORY" : "FAILED") + ": " + ex);
				exit = outOfMemory ? 3 : 4;
			}
			finally {
				System.out.flush();
				Runtime.getRuntime().halt(exit);
			}
		}

		private static int run(ConfigurableApplicationContext context, int objects,
				DeleteAllMemoryHarness.HeapWatch heap) throws InterruptedException {
			OrphanSweeper sweeper = context.getBean(OrphanSweeper.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			SweepBenchmarkApplication.S3Requests requests = context.getBean(SweepBenchmarkApplication.S3Requests.class);
			SweepBenchmarkApplication.Statements statements = context
				.getBean(SweepBenchmarkApplication.Statements.class);
			int pages = (objects + OrphanSweeper.PAGE_SIZE - 1) / OrphanSweeper.PAGE_SIZE;
			System.gc();
			MemoryUsage idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
			// The notification of that collection comes on another thread: let it pass before the first phase.
			Thread.sleep(500);
			System.out.printf(Locale.ROOT, "  heap after start-up (after a full GC): %d MiB used, max %d MiB%n",
					idle.getUsed() / MIB, idle.getMax() / MIB);
			boolean ok = true;
			int liveEvery = Integer.getInteger("live-every", 0);
			if (liveEvery > 0) {
				// A full collection every few moments: what is in use after it is the live data, not the young and old
				// garbage that the most in use after any collection also counts.
				Thread collector = new Thread(() -> {
					while (true) {
						try {
							Thread.sleep(liveEvery);
						}
						catch (InterruptedException ex) {
							return;
						}
						System.gc();
					}
				}, "full-gc-every-" + liveEvery + "ms");
				collector.setDaemon(true);
				collector.start();
			}
			statements.watch(Thread.currentThread());
			for (SweepMode mode : List.of(SweepMode.DRY_RUN, SweepMode.DELETE)) {
				requests.counts.reset();
				statements.reset();
				heap.phase(mode.name());
				long start = System.nanoTime();
				SweepReport report = sweeper.sweep(SweepBenchmarkApplication.BUCKET, mode);
				long took = System.nanoTime() - start;
				System.out.printf(Locale.ROOT, "  %s sweep: %.1f s (%.1f ms a page); %s%n", mode, took / 1e9,
						took / 1e6 / pages, report.summary());
				System.out.printf(Locale.ROOT, "    S3 requests %s; SQL on the sweeping thread: %.2f a page, %s%n",
						requests.counts.snapshot(), (double) statements.watchedThread.total() / pages,
						statements.watchedThread.snapshot());
				heap.report(mode.name(), "during the " + mode + " sweep");
				ok &= report.complete() && report.scanned() == objects && report.orphans() == objects / 2
						&& report.referenced() == (objects + 1) / 2;
			}
			statements.watch(null);
			requests.counts.reset();
			heap.phase("effects");
			long start = System.nanoTime();
			SweepBenchmarkApplication.awaitEffects(jdbc);
			long parked = SweepBenchmarkApplication.parkedEffects(jdbc);
			System.out.printf(Locale.ROOT, "  the delete sweep's effects: done %.1f s after it returned, %d parked; "
					+ "S3 requests %s%n", (System.nanoTime() - start) / 1e9, parked, requests.counts.snapshot());
			heap.report("effects", "while its effects ran");
			return ok && parked == 0 ? 0 : 2;
		}

	}

}
