package io.mutationhooks.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The randomized fault run of convergence: the test application writes in a child JVM, from several threads, several
 * hundred randomly drawn creates, updates replacing references, deletes, {@code saveAll}s and {@code deleteAll}s of
 * members and albums with keys shared between rows, uploads never referred to, deletes in plain SQL behind the hooks'
 * back and saves of references to missing objects; meanwhile S3 answers 500 or hangs for stretches (a proxy on the
 * wire), the database ends the writer's sessions in the middle of transactions, and the writer is killed once with
 * SIGKILL and started again on the same database and bucket. Then quiescence (faults off, no writes, effects settled)
 * and one sweep with grace period 0 in delete mode. Afterwards every object a row refers to exists and no object that
 * no row refers to is left.
 * <p>
 * Seeded: {@code -Dconvergence.seed=<seed>} draws the same operations and the same faults again. The interleaving of
 * threads, faults and effects is the machine's, so a replay is the same run, not the same trace. The size:
 * {@code -Dconvergence.operations} (600 by default) and {@code -Dconvergence.threads} (4). The children's output is
 * under {@code target/fault-runs/<database>-<seed>/}.
 * <p>
 * PostgreSQL and MariaDB only: the {@code postgresql} and {@code mariadb} profiles run it, the default H2 build
 * leaves it out (the root pom's surefire excludes), and started on H2 it fails. H2 can share a database with the
 * child JVM (an H2 server, as {@link SharedTestDatabase} runs), but its {@code ABORT_SESSION} of a session in a
 * transaction closed the whole in-memory database (every later statement: "Database is already closed"), which is
 * no fault a database server has; a run without that fault would pass on H2 having tested less than it says.
 */
class ConvergenceUnderFaultsIntegrationTests {

	private static final String BUCKET = FaultRunWorkload.BUCKET;

	private static final Duration STARTUP = Duration.ofSeconds(120);

	/** Every column that refers to the "avatars" bucket, read here without the starter's own idea of them. */
	private static final List<String> REFERENCE_COLUMNS = List.of("SELECT avatar_url FROM member",
			"SELECT cover_image FROM album", "SELECT object_key FROM album_photo", "SELECT scan FROM album_page",
			"SELECT image FROM album_sticker", "SELECT portrait FROM album_credit");

	private static final Pattern DANGLING_REPORT = Pattern.compile(Pattern.quote(FaultRunWorkload.DANGLING)
			+ "s3://avatars: (\\d+) references checked, (\\d+) dangling, (\\d+) unknown");

	private static final Pattern SWEPT_ORPHANS = Pattern.compile(Pattern.quote(FaultRunWorkload.SWEPT) + "orphans=(\\d+)");

	/** Faults injected while the writes run, each with its weight in the draw. */
	enum Fault {

		/** S3 answers every request with 500 InternalError for a stretch. */
		S3_INTERNAL_ERRORS(3),
		/** S3 answers nothing for a stretch: the client's timeouts fire, or the connection closes at the end. */
		S3_HANGING(2),
		/** The database ends one of the writer's sessions in the middle of a transaction. */
		DATABASE_SESSION_KILLED(4);

		final int weight;

		Fault(int weight) {
			this.weight = weight;
		}

		static Fault draw(Random random) {
			int pick = random.nextInt(Arrays.stream(values()).mapToInt(fault -> fault.weight).sum());
			for (Fault fault : values()) {
				pick -= fault.weight;
				if (pick < 0) {
					return fault;
				}
			}
			throw new IllegalStateException();
		}

	}

	private final long seed = Long.getLong("convergence.seed", ThreadLocalRandom.current().nextLong());

	private final int operations = Integer.getInteger("convergence.operations", 600);

	private final int threads = Integer.getInteger("convergence.threads", 4);

	private final String database = System.getProperty("mutation-hooks.test.database", "h2");

	private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);

	/** Attempts to end a session that found none of the writer's in a transaction for a second. */
	private int sessionKillsMissed;

	private final List<TestApplicationProcess> processes = new ArrayList<>();

	private SharedTestDatabase shared;

	private S3ProxyServer s3Server;

	private S3FaultProxy s3Faults;

	private S3Client s3;

	private final Path runDirectory = Path.of("target", "fault-runs", this.database + "-" + this.seed);

	@AfterEach
	void stopEverything() {
		this.processes.forEach(TestApplicationProcess::close);
		if (this.s3Faults != null) {
			this.s3Faults.close();
		}
		if (this.s3 != null) {
			this.s3.close();
		}
		if (this.s3Server != null) {
			this.s3Server.stop();
		}
		if (this.shared != null) {
			this.shared.close();
		}
	}

	@Test
	void everyReferencedObjectExistsAndNoOrphanIsLeftAfterFaultsAndOneSweep() throws IOException {
		try {
			run();
		}
		catch (RuntimeException | Error ex) {
			String seed = "seed " + this.seed;
			if (String.valueOf(ex.getMessage()).contains(seed)) {
				throw ex;
			}
			// A wait that timed out, a writer that died: the message names the seed too.
			throw new AssertionError("The fault run failed, " + seed + " on " + this.database + " (replay with "
					+ "-Dconvergence.seed=" + this.seed + "; the writers' output is in " + this.runDirectory + "): " + ex,
					ex);
		}
	}

	private void run() throws IOException {
		System.out.println("Convergence under faults on " + this.database + ": seed " + this.seed + " (replay with "
				+ "-Dconvergence.seed=" + this.seed + "), " + this.operations + " operations on " + this.threads
				+ " threads");
		assertThat(this.database).as("the database of the fault run: a server that ends sessions as PostgreSQL and "
				+ "MariaDB do; run it with -Ppostgresql or -Pmariadb")
			.isIn("postgresql", "mariadb");
		Random random = new Random(this.seed);
		Files.createDirectories(this.runDirectory);
		Files.deleteIfExists(sweepSignal());
		this.shared = SharedTestDatabase.fresh("faultrun");
		this.s3Server = S3ProxyServer.started();
		this.s3 = S3Client.builder()
			.endpointOverride(this.s3Server.endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
			.build();
		this.s3.createBucket(request -> request.bucket(BUCKET));
		this.s3Faults = S3FaultProxy.inFrontOf(this.s3Server.endpoint());
		Instant started = Instant.now();

		// The first writer, killed with SIGKILL somewhere in the middle of its operations.
		TestApplicationProcess first = start("first", this.seed, this.operations, null);
		first.awaitOutput(FaultRunWorkload.STARTED, STARTUP);
		int killAfter = this.operations / 4 + random.nextInt(this.operations / 3);
		injectFaultsUntil(random, () -> operationsDone(first) >= killAfter || first.output()
			.contains(FaultRunWorkload.WORKLOAD_DONE));
		first.kill();
		int doneByFirst = operationsDone(first);
		System.out.println("Killed the first writer with SIGKILL after " + doneByFirst + " operations");

		// The writer started again on the same database and bucket, doing the rest.
		TestApplicationProcess restarted = start("restarted", this.seed + 1, this.operations - doneByFirst,
				sweepSignal());
		restarted.awaitOutput(FaultRunWorkload.STARTED, STARTUP);
		injectFaultsUntil(random, () -> restarted.output().contains(FaultRunWorkload.WORKLOAD_DONE));
		Instant writesDone = Instant.now();

		// Quiescence: no faults, no writes; the effects run (those of the killed writer once its leases run out).
		await("effects settled").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.shared.query(EffectRows::unsettled) == 0);
		long parked = this.shared.query(EffectRows::stored);
		long deletedByEffects = this.s3Faults.keysToDelete();
		Files.createFile(sweepSignal());
		restarted.awaitOutput(FaultRunWorkload.CHECKS_DONE, Duration.ofMinutes(3));
		long deletedBySweep = this.s3Faults.keysToDelete() - deletedByEffects;
		String output = first.output() + restarted.output();

		Set<String> objects = objects();
		Set<String> referenced = referencedKeys();
		Set<String> dangling = new TreeSet<>(referenced);
		dangling.removeAll(objects);
		Set<String> orphans = new TreeSet<>(objects);
		orphans.removeAll(referenced);
		Matcher danglingReport = DANGLING_REPORT.matcher(restarted.output());
		Matcher sweptOrphans = SWEPT_ORPHANS.matcher(restarted.output());
		String failure = "seed " + this.seed + " on " + this.database + " (replay with -Dconvergence.seed=" + this.seed
				+ " and the same database profile; the writers' output is in " + this.runDirectory.toAbsolutePath() + ")";

		Map<String, Long> outcomes = outcomes(output);
		System.out.println("Convergence under faults on " + this.database + ", seed " + this.seed + ": "
				+ Duration.between(started, Instant.now()).toSeconds() + " s (writes " + Duration.between(started,
						writesDone).toSeconds() + " s)");
		System.out.println("  operations: " + (doneByFirst + operationsDone(restarted)) + " reported of "
				+ this.operations + " (those in flight at the kill unreported); by kind and outcome: " + outcomes);
		System.out.println("  faults: " + this.faults + ", S3 requests answered 500: " + this.s3Faults.failed()
				+ ", S3 requests left hanging: " + this.s3Faults.hung() + ", database session kills that found no "
				+ "session in a transaction: " + this.sessionKillsMissed + ", SIGKILL of the writer: 1");
		System.out.println("  effects retried: " + count(output, "failed (attempt ") + " times, parked: "
				+ count(output, "Parked ") + " (still parked: " + parked + ")");
		System.out.println("  objects deleted by effects before the sweep: " + deletedByEffects
				+ " (keys in DeleteObjects requests), by the sweep: " + deletedBySweep + " ("
				+ (sweptOrphans.find() ? sweptOrphans.group(1) : "?") + " orphans found)");
		System.out.println("  at the end: " + objects.size() + " objects, " + referenced.size()
				+ " keys referred to by rows");
		System.out.println("  " + lineWith(restarted.output(), FaultRunWorkload.SWEPT));
		System.out.println("  " + lineWith(restarted.output(), FaultRunWorkload.DANGLING));

		long references = this.shared.query(ConvergenceUnderFaultsIntegrationTests::references);
		boolean reported = danglingReport.find();
		long sweptOrphanCount = sweptOrphans.find(0) ? Long.parseLong(sweptOrphans.group(1)) : -1;
		long effectsLeft = this.shared.query(EffectRows::stored);
		SoftAssertions.assertSoftly(softly -> {
			softly.assertThat(doneByFirst).as("operations the first writer reported before its SIGKILL, " + failure)
				.isLessThan(this.operations);
			// A run whose faults missed everything, or whose sweep had nothing to do, would prove nothing.
			softly.assertThat(this.s3Faults.failed() + this.s3Faults.hung())
				.as("S3 requests answered 500 or left hanging, " + failure)
				.isPositive();
			softly.assertThat(this.faults.getOrDefault(Fault.DATABASE_SESSION_KILLED, 0))
				.as("database sessions ended in a transaction, " + failure)
				.isPositive();
			softly.assertThat(sweptOrphanCount).as("orphans the sweep found, " + failure).isPositive();
			softly.assertThat(outcomes).as("operations that succeeded, " + failure).containsKey("CREATE_MEMBER ok");
			softly.assertThat(output.lines().filter(line -> line.contains("REFERS TO A MISSING OBJECT")))
				.as("saves that referred to an object never uploaded and were not refused, " + failure)
				.isEmpty();
			softly.assertThat(dangling).as("keys rows refer to whose object is missing, " + failure).isEmpty();
			softly.assertThat(orphans).as("objects no row refers to, left after the sweep, " + failure).isEmpty();
			softly.assertThat(effectsLeft).as("effects left, parked or not, " + failure).isZero();
			softly.assertThat(reported).as("the dangling-reference report in the writer's output, " + failure).isTrue();
			if (reported) {
				softly.assertThat(danglingReport.group(1))
					.as("references the dangling-reference report checked, " + failure)
					.isEqualTo(String.valueOf(references));
				softly.assertThat(danglingReport.group(2) + " dangling, " + danglingReport.group(3) + " unknown")
					.as("the dangling-reference report, " + failure)
					.isEqualTo("0 dangling, 0 unknown");
			}
		});
	}

	/**
	 * Draws faults from {@code random} and injects them one after another, with pauses between, until {@code done}.
	 */
	private void injectFaultsUntil(Random random, BooleanSupplier done) {
		DatabaseSessionKiller killer = new DatabaseSessionKiller(this.database);
		while (!done.getAsBoolean()) {
			Pause.millis(400 + random.nextInt(1200));
			Fault fault = Fault.draw(random);
			// Up to 4.5 s: longer than the writer's attempt timeouts (1 s) and its checks' call timeout (3 s).
			int stretch = 300 + random.nextInt(4200);
			switch (fault) {
				case S3_INTERNAL_ERRORS -> {
					this.s3Faults.failEverything(true);
					Pause.millis(stretch);
					this.s3Faults.failEverything(false);
				}
				case S3_HANGING -> {
					this.s3Faults.hang(true);
					Pause.millis(stretch);
					this.s3Faults.hang(false);
				}
				case DATABASE_SESSION_KILLED -> {
					// Look for a session in a transaction for a while: most are short.
					Long killed = this.shared.query(jdbc -> {
						for (int attempt = 0; attempt < 40; attempt++) {
							Long session = killer.killOneInATransaction(jdbc, random);
							if (session != null) {
								return session;
							}
							Pause.millis(25);
						}
						return null;
					});
					if (killed == null) {
						this.sessionKillsMissed++;
						continue;
					}
				}
			}
			this.faults.merge(fault, 1, Integer::sum);
		}
	}

	private TestApplicationProcess start(String name, long seed, int operations, Path sweepSignal) {
		Map<String, String> properties = new LinkedHashMap<>(this.shared.properties());
		properties.put("spring.cloud.aws.s3.endpoint", this.s3Faults.endpoint().toString());
		properties.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
		properties.put("spring.cloud.aws.credentials.access-key", S3ProxyServer.ACCESS_KEY);
		properties.put("spring.cloud.aws.credentials.secret-key", S3ProxyServer.SECRET_KEY);
		// A killed writer's leases hold back the deletes of its keys until they run out: not five minutes here.
		properties.put("mutation-hooks.s3.verify.lease-timeout", "20s");
		properties.put("mutation-hooks.s3.cleanup.call-timeout", "5s");
		properties.put("mutation-hooks.s3.cleanup.attempt-timeout", "1s");
		properties.put("mutation-hooks.s3.verify.attempt-timeout", "1s");
		properties.put("mutation-hooks.s3.verify.call-timeout", "3s");
		properties.put("mutation-hooks.effects.retry.max-backoff", "2s");
		// The killed writer's running effects are taken over sooner than within 40 s.
		properties.put("db-scheduler.heartbeat-interval", "1s");
		properties.put("mutation-hooks.s3.buckets.avatars.sweep.enabled", "true");
		properties.put("mutation-hooks.s3.buckets.avatars.sweep.grace-period", "0s");
		properties.put("logging.level.io.mutationhooks", "INFO");
		properties.put("logging.level.com.github.kagkarlsson.scheduler", "INFO");
		properties.put(FaultRunWorkload.SEED, String.valueOf(seed));
		properties.put(FaultRunWorkload.OPERATIONS, String.valueOf(operations));
		properties.put(FaultRunWorkload.THREADS, String.valueOf(this.threads));
		properties.put(FaultRunWorkload.INSTANCE, name);
		if (sweepSignal != null) {
			properties.put(FaultRunWorkload.SWEEP_SIGNAL, sweepSignal.toAbsolutePath().toString());
		}
		TestApplicationProcess process = TestApplicationProcess.start(this.runDirectory.resolve(name + ".log"),
				properties);
		this.processes.add(process);
		return process;
	}

	private Path sweepSignal() {
		return this.runDirectory.resolve("sweep");
	}

	/** Every key in the bucket, listed from the server itself, not through the faults. */
	private Set<String> objects() {
		Set<String> keys = new HashSet<>();
		this.s3.listObjectsV2Paginator(request -> request.bucket(BUCKET))
			.contents()
			.stream()
			.map(S3Object::key)
			.forEach(keys::add);
		return keys;
	}

	/** Every key a row refers to, in either form. */
	private Set<String> referencedKeys() {
		return this.shared.query(jdbc -> {
			Set<String> keys = new HashSet<>();
			for (String column : REFERENCE_COLUMNS) {
				jdbc.queryForList(column, String.class)
					.stream()
					.filter(reference -> reference != null)
					.map(FaultRunWorkload.Writes::keyOf)
					.forEach(keys::add);
			}
			return keys;
		});
	}

	/** How many non-null references the rows hold. */
	private static long references(JdbcTemplate jdbc) {
		long references = 0;
		for (String column : REFERENCE_COLUMNS) {
			references += jdbc.queryForList(column, String.class).stream().filter(value -> value != null).count();
		}
		return references;
	}

	private static int operationsDone(TestApplicationProcess process) {
		return (int) process.output().lines().filter(line -> line.startsWith(FaultRunWorkload.OPERATION)).count();
	}

	/** How many operations ended how: {@code CREATE_MEMBER ok}, {@code DELETE_MEMBER failed S3CheckFailedException}. */
	private static Map<String, Long> outcomes(String output) {
		Map<String, Long> outcomes = new TreeMap<>();
		output.lines().filter(line -> line.startsWith(FaultRunWorkload.OPERATION)).forEach(line -> {
			String[] words = line.substring(FaultRunWorkload.OPERATION.length()).split(" ");
			String outcome = words[1] + " " + words[2] + (words[2].equals("failed") ? " " + words[3].replace(":", "") : "");
			outcomes.merge(outcome, 1L, Long::sum);
		});
		return outcomes;
	}

	private static long count(String output, String text) {
		return output.lines().filter(line -> line.contains(text)).count();
	}

	private static String lineWith(String output, String text) {
		return output.lines().filter(line -> line.contains(text)).findFirst().orElse("");
	}

}
