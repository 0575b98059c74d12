package io.mutationhooks.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Hooks;
import io.mutationhooks.Op;
import io.mutationhooks.s3.DeleteObjectsObserver;
import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.Pause;

/**
 * What memory {@code memberRepository.deleteAll()} of a large table takes with the S3 sync on, on PostgreSQL: this
 * JVM runs the in-process S3Proxy and fills the member table of a database of its own (each row referring to an
 * avatar; the objects need not exist for a delete), then a child JVM with a small heap starts the application, runs
 * {@code deleteAll()} and waits until its durable S3 deletes are done. The child reports the time of the delete (to
 * its commit) and of the cleanup after it, the hooks' DELETE mutations (pages), the heap from the JVM's GC
 * notifications (the most in use when a collection began; the most in use after one, which after a young collection
 * still counts the old generation's garbage; the live data after full collections, if there were any), the
 * DeleteObjects requests, and whether every key was deleted exactly once. A child that runs out of memory says so.
 * Whether the delete fits a heap is best told by running it with a smaller {@code heap}.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@delete-all-memory}; the system
 * properties {@code rows} (comma-separated counts, default {@code 200000,1000000}), {@code heap} (the child's
 * {@code -Xmx}, default {@code 128m}) and {@code database} (created if missing, default {@code bulkdelete}) go in
 * {@code -Dharness.args="-Drows=200000 -Dheap=96m"}; {@code -Dindexed=true} indexes {@code member.avatar_url}, which
 * the cleanup queries to skip keys a row still refers to (the test schema has no such index), and
 * {@code -Dqueue=in-memory} runs the cleanup on the in-process queue instead of durable effects. The PostgreSQL server
 * is the tests' one (127.0.0.1:5432, user postgres).
 */
public final class DeleteAllMemoryHarness {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static final String BUCKET = "avatars";

	/** The keys the rows refer to: {@code users/<n>/avatar-<md5 of n>.png}, as long as real ones tend to be. */
	private static final String KEY_PREFIX = "users/";

	private static final long MIB = 1024 * 1024;

	private DeleteAllMemoryHarness() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("--child")) {
			Child.main(args);
			return;
		}
		String database = System.getProperty("database", "bulkdelete");
		String heap = System.getProperty("heap", "128m");
		List<Integer> counts = new ArrayList<>();
		for (String count : System.getProperty("rows", "200000,1000000").split(",")) {
			counts.add(Integer.parseInt(count.trim()));
		}
		createDatabaseIfMissing(database);
		S3ProxyServer s3 = S3ProxyServer.shared();
		s3.putObjects(BUCKET, List.of());
		s3.putObjects("team-docs", List.of());
		int failures = 0;
		for (int rows : counts) {
			fill(database, rows);
			System.out.printf(Locale.ROOT, "%ndeleteAll() of %,d members, child JVM -Xmx%s, PostgreSQL database %s%s%n",
					rows, heap, database, (Boolean.getBoolean("indexed") ? ", member.avatar_url indexed" : "")
							+ (inMemory() ? ", in-memory cleanup queue" : ""));
			int exit = runChild(database, heap, rows, s3);
			if (exit != 0) {
				System.out.println("  child exited with " + exit);
				failures++;
			}
		}
		System.exit(failures == 0 ? 0 : 1);
	}

	private static boolean inMemory() {
		return "in-memory".equals(System.getProperty("queue"));
	}

	private static void createDatabaseIfMissing(String database) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
			JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
			if (jdbc.queryForList("SELECT 1 FROM pg_database WHERE datname = ?", database).isEmpty()) {
				jdbc.execute("CREATE DATABASE " + database);
			}
		}
	}

	/** Creates the test tables anew, with {@code rows} members and no effect left from an earlier run. */
	private static void fill(String database, int rows) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER + database, "postgres", "")) {
			ScriptUtils.executeSqlScript(connection, new ClassPathResource("schema-postgresql.sql"));
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS scheduled_tasks");
				statement.execute("INSERT INTO member (name, avatar_url) SELECT 'member ' || n, '" + KEY_PREFIX
						+ "' || n || '/avatar-' || md5(n::text) || '.png' FROM generate_series(0, " + (rows - 1)
						+ ") AS n");
				if (Boolean.getBoolean("indexed")) {
					statement.execute("CREATE INDEX member_avatar_url ON member (avatar_url)");
				}
				statement.execute("VACUUM ANALYZE member");
			}
		}
	}

	private static int runChild(String database, String heap, int rows, S3ProxyServer s3) throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = List.of(java.toString(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
				DeleteAllMemoryHarness.class.getName(), "--child", SERVER + database, String.valueOf(rows),
				s3.endpoint().toString(), inMemory() ? "in-memory" : "durable");
		Process child = new ProcessBuilder(command).inheritIO().start();
		if (!child.waitFor(60, TimeUnit.MINUTES)) {
			child.destroyForcibly();
			return -1;
		}
		return child.exitValue();
	}

	/** The JVM with the small heap: starts the application, deletes every member and waits for the cleanup. */
	static final class Child {

		private Child() {
		}

		static void main(String[] args) throws Exception {
			String url = args[1];
			int rows = Integer.parseInt(args[2]);
			String endpoint = args[3];
			String queue = args[4];
			HeapWatch heap = HeapWatch.start();
			ConfigurableApplicationContext context = SpringApplication.run(Application.class,
					"--spring.main.web-application-type=none", "--logging.level.root=WARN",
					"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--spring.sql.init.mode=never",
					"--mutation-hooks.jdbc.initialize-schema=always", "--spring.cloud.aws.s3.endpoint=" + endpoint,
					"--spring.cloud.aws.s3.path-style-access-enabled=true",
					"--spring.cloud.aws.credentials.access-key=" + S3ProxyServer.ACCESS_KEY,
					"--spring.cloud.aws.credentials.secret-key=" + S3ProxyServer.SECRET_KEY,
					"--mutation-hooks.s3.cleanup.queue=" + queue);
			// A failure whose report fails too (out of memory again) still ends the child with a failure.
			int exit = 5;
			try {
				exit = run(context, rows, heap, queue);
			}
			catch (Throwable ex) {
				exit = 4;
				boolean outOfMemory = false;
				for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
					outOfMemory |= cause instanceof OutOfMemoryError;
				}
				System.out.println("  " + (outOfMemory ? "OUT OF MEMORY" : "FAILED") + " during " + heap.phase + ": "
						+ ex);
				System.out.println("  rows left: " + rowsLeft(context));
				exit = outOfMemory ? 3 : 4;
			}
			finally {
				System.out.flush();
				Runtime.getRuntime().halt(exit);
			}
		}

		private static int run(ConfigurableApplicationContext context, int rows, HeapWatch heap, String queue) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			MemberRepository members = context.getBean(MemberRepository.class);
			DeletedKeys deleted = context.getBean(DeletedKeys.class);
			AtomicLong pages = new AtomicLong();
			AtomicLong seen = new AtomicLong();
			context.getBean(HookRegistry.class).use(Member.class, Hooks.on(next -> m -> {
				pages.incrementAndGet();
				seen.addAndGet(m.oldEntities().size());
				return next.mutate(m);
			}, Op.DELETE));
			System.gc();
			MemoryUsage idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
			// The notification of that collection comes on another thread: let it pass before the delete's phase.
			Pause.millis(500);
			heap.phase("delete");
			long start = System.nanoTime();
			members.deleteAll();
			long committed = System.nanoTime();
			heap.phase("cleanup");
			long effects = queue.equals("durable") ? awaitEffects(jdbc) : awaitDeleted(deleted, rows);
			long cleaned = System.nanoTime();
			long left = jdbc.queryForObject("SELECT COUNT(*) FROM member", Long.class);
			System.out.printf(Locale.ROOT, "  heap after start-up (after a full GC): %d MiB used, max %d MiB%n",
					idle.getUsed() / MIB, idle.getMax() / MIB);
			System.out.printf(Locale.ROOT, "  deleteAll(): %.1f s to commit; %,d DELETE mutations (pages), %,d rows "
					+ "seen, %,d rows left%n", (committed - start) / 1e9, pages.get(), seen.get(), left);
			heap.report("delete", "during deleteAll()");
			System.out.printf(Locale.ROOT, "  cleanup: %.1f s from commit until no %s is pending (%d left)%n",
					(cleaned - committed) / 1e9, queue.equals("durable") ? "effect" : "key", effects);
			heap.report("cleanup", "during the cleanup");
			System.out.printf(Locale.ROOT, "  S3: %,d DeleteObjects requests, %,d keys sent, %,d distinct of %,d, "
					+ "%,d sent more than once, %,d refused; all keys deleted once: %s%n", deleted.requests.get(),
					deleted.sent.get(), deleted.distinct(), rows, deleted.repeated.get(), deleted.refused.get(),
					deleted.distinct() == rows && deleted.repeated.get() == 0 && deleted.refused.get() == 0
							? "yes" : "NO");
			return left == 0 && deleted.distinct() == rows ? 0 : 2;
		}

		/** The members left, to tell whether a delete that failed committed; or why they cannot be counted. */
		private static String rowsLeft(ConfigurableApplicationContext context) {
			try {
				return String.valueOf(
						context.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM member", Long.class));
			}
			catch (Throwable ex) {
				return "unknown (" + ex + ")";
			}
		}

		/** Waits until every key was deleted, for ten minutes at most. @return the keys left */
		private static long awaitDeleted(DeletedKeys deleted, int rows) {
			long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
			while (deleted.distinct() < rows && System.nanoTime() < end) {
				Pause.millis(100);
			}
			return rows - deleted.distinct();
		}

		/** Waits until no durable effect is pending. @return the effects left, parked ones */
		private static long awaitEffects(JdbcTemplate jdbc) {
			String pending = "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'"
					+ " AND execution_time < TIMESTAMP '9000-01-01 00:00:00'";
			while (jdbc.queryForObject(pending, Long.class) > 0) {
				Pause.millis(100);
			}
			return jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'",
					Long.class);
		}

	}

	/**
	 * The heap as the GC notifications tell it, per phase: the most in use when a collection began, the most in use
	 * after one, and the most in use after a full collection (the live data), with their counts.
	 */
	static final class HeapWatch {

		private final Map<String, long[]> phases = new java.util.concurrent.ConcurrentHashMap<>();

		/** What was in use after each full collection, per phase: the live data at that moment. */
		private final Map<String, List<Long>> live = new java.util.concurrent.ConcurrentHashMap<>();

		private volatile long[] current = new long[5];

		private volatile String phase = "start-up";

		static HeapWatch start() {
			HeapWatch watch = new HeapWatch();
			List<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
				.stream()
				.filter(pool -> pool.getType() == MemoryType.HEAP)
				.map(pool -> pool.getName())
				.toList();
			for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
					String type = notification.getType();
					if (!type.equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
						return;
					}
					var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
					long before = sum(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools);
					long after = sum(info.getGcInfo().getMemoryUsageAfterGc(), heapPools);
					boolean full = info.getGcAction().contains("major");
					long[] phase = watch.current;
					synchronized (phase) {
						phase[0] = Math.max(phase[0], before);
						phase[1] = Math.max(phase[1], after);
						phase[2]++;
						if (full) {
							phase[3] = Math.max(phase[3], after);
							watch.live.computeIfAbsent(watch.phase, name -> new java.util.concurrent.CopyOnWriteArrayList<>())
								.add(after);
							phase[4]++;
						}
					}
				}, null, null);
			}
			return watch;
		}

		private static long sum(Map<String, MemoryUsage> usage, List<String> pools) {
			return pools.stream().mapToLong(pool -> usage.containsKey(pool) ? usage.get(pool).getUsed() : 0).sum();
		}

		void phase(String name) {
			long[] phase = new long[5];
			this.phases.put(name, phase);
			this.current = phase;
			this.phase = name;
		}

		private long medianLive(String name) {
			long[] sorted = this.live.getOrDefault(name, List.of()).stream().mapToLong(Long::longValue).sorted().toArray();
			return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
		}

		void report(String name, String what) {
			long[] phase = this.phases.get(name);
			synchronized (phase) {
				System.out.printf(Locale.ROOT, "  heap %s: at most %d MiB in use when a GC began, at most %d MiB "
						+ "in use after one (%d GCs); %d full GCs%s%n", what, phase[0] / MIB, phase[1] / MIB, phase[2],
						phase[4], phase[4] == 0 ? "" : ", at most " + phase[3] / MIB + " MiB live after one (median "
								+ medianLive(name) / MIB + " MiB)");
			}
		}

	}

	/**
	 * Counts what DeleteObjects requests send and S3 answers, key by key in a bit set of the keys' numbers, so that
	 * counting costs the child's heap next to nothing.
	 */
	static final class DeletedKeys implements DeleteObjectsObserver {

		final AtomicLong requests = new AtomicLong();

		final AtomicLong sent = new AtomicLong();

		final AtomicLong repeated = new AtomicLong();

		final AtomicLong refused = new AtomicLong();

		private final BitSet keys = new BitSet();

		@Override
		public void answered(DeleteObjectsRequest request, DeleteObjectsResponse response) {
			this.requests.incrementAndGet();
			this.refused.addAndGet(response.errors().size());
			for (ObjectIdentifier object : request.delete().objects()) {
				this.sent.incrementAndGet();
				String key = object.key();
				int number = Integer.parseInt(key, KEY_PREFIX.length(), key.indexOf('/', KEY_PREFIX.length()), 10);
				synchronized (this.keys) {
					if (this.keys.get(number)) {
						this.repeated.incrementAndGet();
					}
					this.keys.set(number);
				}
			}
		}

		int distinct() {
			synchronized (this.keys) {
				return this.keys.cardinality();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = Member.class)
	static class Application {

		@Bean
		DeletedKeys deletedKeys() {
			return new DeletedKeys();
		}

		@Bean
		S3ClientCustomizer countingS3ClientCustomizer(DeletedKeys deletedKeys) {
			return builder -> builder.overrideConfiguration(
					builder.overrideConfiguration().toBuilder().addExecutionInterceptor(deletedKeys).build());
		}

	}

}
