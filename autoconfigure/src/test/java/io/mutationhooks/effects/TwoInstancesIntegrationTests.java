package io.mutationhooks.effects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.s3.CountingS3ClientConfiguration;
import io.mutationhooks.s3.S3DeletedKeys;
import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.LoggedProblems;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.TestEffects;
import io.mutationhooks.testapp.TestEffects.Note;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the application on one database, each with its own scheduler, share the effects both request:
 * each effect runs on one of them, once; a deduplicated effect both request is stored once, neither transaction
 * failing for it. The test's own context is the first instance; the test starts the second beside it, on the same
 * database and S3 server.
 */
@SpringBootTest(classes = { TestApplication.class, CountingS3ClientConfiguration.class },
		properties = "db-scheduler.scheduler-name=" + TwoInstancesIntegrationTests.FIRST)
class TwoInstancesIntegrationTests {

	static final String FIRST = "instance-one";

	static final String SECOND = "instance-two";

	private static final int EFFECTS = 10_000;

	/**
	 * Rows or requests per transaction, taken in turn: ten small transactions, then one that fills an S3 request or
	 * needs more than one.
	 */
	private static final int[] TRANSACTION_SIZES = { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 1000, 1, 2, 3, 5, 8, 13, 21, 34,
			55, 89, 2500, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 1001, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 999 };

	private static final String AVATARS = "avatars";

	/** Says how long the work took and how it was split, at INFO (off unless asked for). */
	private static final Logger logger = LoggerFactory.getLogger(TwoInstancesIntegrationTests.class);

	private static ConfigurableApplicationContext secondContext;

	@DynamicPropertySource
	static void s3Proxy(DynamicPropertyRegistry registry) {
		S3ProxyServer.shared().registerEndpoint(registry);
	}

	/** Starts the second instance once the first has created the tables; it leaves them as they are. */
	@BeforeAll
	static void startSecondInstance(@Autowired ApplicationContext firstContext) {
		String s3 = S3ProxyServer.shared().endpoint().toString();
		secondContext = new SpringApplicationBuilder(TestApplication.class, CountingS3ClientConfiguration.class)
			.web(WebApplicationType.NONE)
			.run("--db-scheduler.scheduler-name=" + SECOND, "--spring.sql.init.mode=never",
					"--spring.cloud.aws.s3.endpoint=" + s3, "--spring.cloud.aws.s3.path-style-access-enabled=true",
					"--spring.cloud.aws.region.static=us-east-1",
					"--spring.cloud.aws.credentials.access-key=" + S3ProxyServer.ACCESS_KEY,
					"--spring.cloud.aws.credentials.secret-key=" + S3ProxyServer.SECRET_KEY);
	}

	@AfterAll
	static void stopSecondInstance() {
		if (secondContext != null) {
			secondContext.close();
		}
	}

	@Autowired
	ApplicationContext firstContext;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	EffectBacklog backlog;

	@Autowired
	S3Client s3;

	Instance first;

	Instance second;

	/** One for each instance. */
	final ExecutorService threads = Executors.newFixedThreadPool(2);

	/** What went wrong on threads the test does not see, for its failure messages. */
	LoggedProblems problems;

	@BeforeEach
	void watchTheLogs() {
		this.problems = new LoggedProblems();
	}

	@BeforeEach
	@AfterEach
	void startClean() {
		this.first = new Instance(this.firstContext);
		this.second = new Instance(secondContext);
		EffectRows.clear(this.jdbc);
		this.jdbc.update("DELETE FROM member");
		for (Instance instance : List.of(this.first, this.second)) {
			instance.bean(S3DeletedKeys.class).reset();
			instance.bean(TestEffects.Probe.class).reset();
		}
	}

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.threads.shutdownNow();
		this.threads.awaitTermination(30, TimeUnit.SECONDS);
		this.problems.close();
	}

	@Test
	void objectsOfRowsDeletedOnTwoInstancesAreEachDeletedOnceByOneOfThem() {
		String run = UUID.randomUUID() + "/";
		List<String> keys = IntStream.range(0, EFFECTS).mapToObj(i -> run + i + ".png").toList();
		S3ProxyServer.shared().putObjects(AVATARS, keys);
		this.jdbc.batchUpdate("INSERT INTO member (name, avatar_url) VALUES (?, ?)",
				keys.stream().map(key -> new Object[] { "member " + key, key }).toList());
		List<List<Long>> transactions = transactions(this.jdbc.queryForList("SELECT id FROM member", Long.class));

		long started = System.nanoTime();
		onBothInstances(transactions, (instance, rows) -> instance.inTransaction(() -> {
			MemberRepository members = instance.bean(MemberRepository.class);
			if (rows.size() == 1) {
				members.deleteById(rows.get(0));
				return;
			}
			// Two writes in one transaction: their keys are sent together.
			int half = rows.size() / 2;
			members.deleteAllById(rows.subList(0, half));
			members.deleteAll(members.findAllById(rows.subList(half, rows.size())));
		}));
		long committed = System.nanoTime();
		awaitNoEffectLeft();

		Map<String, Integer> byFirst = this.first.bean(S3DeletedKeys.class).deletions();
		Map<String, Integer> bySecond = this.second.bean(S3DeletedKeys.class).deletions();
		logger.info("{} rows deleted in {} transactions in {} ms, their objects {} ms after the last commit; first "
				+ "instance: {} keys in {} requests, second: {} keys in {} requests", EFFECTS, transactions.size(),
				millis(started, committed), millis(committed, System.nanoTime()), byFirst.size(),
				this.first.bean(S3DeletedKeys.class).requests(), bySecond.size(),
				this.second.bean(S3DeletedKeys.class).requests());
		assertOnceEach(keys.stream().map(key -> AVATARS + "/" + key).toList(), sum(byFirst, bySecond),
				key -> "first " + byFirst.getOrDefault(key, 0) + ", second " + bySecond.getOrDefault(key, 0));
		assertThat(byFirst).as("keys deleted by the first instance").isNotEmpty();
		assertThat(bySecond).as("keys deleted by the second instance").isNotEmpty();
		assertThat(this.s3.listObjectsV2Paginator(request -> request.bucket(AVATARS).prefix(run)).contents())
			.as("objects left")
			.isEmpty();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM member", Long.class)).isZero();
	}

	@Test
	void effectsRequestedOnTwoInstancesAreEachHandledOnceByOneOfThem() {
		List<List<String>> transactions = transactions(
				IntStream.range(0, EFFECTS).mapToObj(i -> "note " + i).toList());

		long started = System.nanoTime();
		onBothInstances(transactions, (instance, batch) -> instance.inTransaction(() -> {
			Effects effects = instance.bean(Effects.class);
			batch.forEach(text -> effects.request(TestEffects.NOTES, new Note(text)));
		}));
		long committed = System.nanoTime();
		awaitNoEffectLeft();

		List<String> byFirst = this.first.bean(TestEffects.Probe.class).notes();
		List<String> bySecond = this.second.bean(TestEffects.Probe.class).notes();
		logger.info("{} notes requested in {} transactions in {} ms, all handled {} ms after the last commit; "
				+ "first instance: {} notes in {} calls, second: {} notes in {} calls", EFFECTS, transactions.size(),
				millis(started, committed), millis(committed, System.nanoTime()), byFirst.size(),
				this.first.bean(TestEffects.Probe.class).noteCalls.size(), bySecond.size(),
				this.second.bean(TestEffects.Probe.class).noteCalls.size());
		Map<String, Integer> countedByFirst = counted(byFirst);
		Map<String, Integer> countedBySecond = counted(bySecond);
		assertOnceEach(transactions.stream().flatMap(List::stream).toList(), sum(countedByFirst, countedBySecond),
				note -> "first " + countedByFirst.getOrDefault(note, 0) + ", second "
						+ countedBySecond.getOrDefault(note, 0));
		assertThat(byFirst).as("notes handled by the first instance").isNotEmpty();
		assertThat(bySecond).as("notes handled by the second instance").isNotEmpty();
	}

	@Test
	void aDeduplicatedEffectStoredByTheOtherInstanceAfterARepeatableReadTransactionBeganRunsAfterBothCommit()
			throws Exception {
		TransactionTemplate repeatableRead = this.second.transactions();
		repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		// MariaDB's default; on PostgreSQL, only the duplicate key in the failure says the effect is there, since no
		// read in this transaction can see it.
		whileNoEffectRuns(() -> repeatableRead.execute(status -> {
			// From its first read on, this transaction sees the database as it was then: not the other's effect.
			this.second.bean(MemberRepository.class).count();
			try {
				this.threads
					.submit(() -> this.first.inTransaction(() -> requestDeduplicatedNote(this.first, "from the first")))
					.get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new AssertionError("the first instance's transaction failed", ex);
			}
			requestDeduplicatedNote(this.second, "from the second");
			return null;
		}));
		awaitNoEffectLeft();

		if (System.getProperty("mutation-hooks.test.database", "h2").equals("postgresql")) {
			// A locking read in the second transaction cannot see the first's effect either, so it cannot hold it
			// until the second commits: the second's request runs as the follow-up instead.
			assertThat(notesOfBothInstances()).containsExactlyInAnyOrder("from the first", "from the second");
		}
		else {
			// A locking read sees the latest row (MariaDB, H2) and holds it until the second commits.
			assertThat(notesOfBothInstances()).containsExactly("from the first");
		}
	}

	/** Requests a note with the deduplication key every such request of these tests has. */
	private static void requestDeduplicatedNote(Instance instance, String text) {
		instance.bean(Effects.class).request(TestEffects.NOTES, new Note(text), "customer-7");
	}

	/** Runs {@code work} with both schedulers paused, so that an effect it stores stays there until it is done. */
	private void whileNoEffectRuns(Callable<?> work) throws Exception {
		this.first.bean(Scheduler.class).pause();
		this.second.bean(Scheduler.class).pause();
		try {
			work.call();
		}
		finally {
			this.first.bean(Scheduler.class).resume();
			this.second.bean(Scheduler.class).resume();
		}
	}

	private List<String> notesOfBothInstances() {
		List<String> notes = new ArrayList<>(this.first.bean(TestEffects.Probe.class).notes());
		notes.addAll(this.second.bean(TestEffects.Probe.class).notes());
		return notes;
	}

	/** Splits {@code items} into transactions of the sizes in {@link #TRANSACTION_SIZES}, in turn. */
	private static <T> List<List<T>> transactions(List<T> items) {
		List<List<T>> transactions = new ArrayList<>();
		for (int from = 0, i = 0; from < items.size(); i++) {
			int to = Math.min(from + TRANSACTION_SIZES[i % TRANSACTION_SIZES.length], items.size());
			transactions.add(items.subList(from, to));
			from = to;
		}
		return transactions;
	}

	/** Runs the transactions on both instances at once, each taking every other one. */
	private <T> void onBothInstances(List<List<T>> transactions, BiConsumer<Instance, List<T>> work) {
		List<Instance> instances = List.of(this.first, this.second);
		CompletableFuture.allOf(IntStream.range(0, instances.size())
			.mapToObj(turn -> CompletableFuture.runAsync(() -> {
				for (int i = turn; i < transactions.size(); i += instances.size()) {
					work.accept(instances.get(turn), transactions.get(i));
				}
			}, this.threads))
			.toArray(CompletableFuture[]::new)).join();
	}

	private void awaitNoEffectLeft() {
		EffectRows.awaitSettled(this.jdbc, Duration.ofSeconds(60));
		assertThat(this.backlog.list(EffectStatus.PARKED, 5)).as("parked effects").isEmpty();
		assertThat(EffectRows.stored(this.jdbc)).as("effects left").isZero();
	}

	/**
	 * Asserts that each of {@code expected} was seen once, and nothing else; a failure says briefly what was seen
	 * twice, by which instance ({@code where}), and what was logged meanwhile.
	 */
	private void assertOnceEach(List<String> expected, Map<String, Integer> times, Function<String, String> where) {
		List<String> repeated = times.entrySet()
			.stream()
			.filter(seen -> seen.getValue() != 1)
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
		assertThat(repeated).as(() -> repeated.size() + " seen more than once, among them "
				+ repeated.stream().limit(5).map(item -> item + " (" + where.apply(item) + ")").toList()
				+ "; warnings and errors logged meanwhile: " + this.problems.lines())
			.isEmpty();
		List<String> missing = expected.stream().filter(item -> !times.containsKey(item)).toList();
		assertThat(missing).as(() -> missing.size() + " never seen, among them " + missing.stream().limit(5).toList()
				+ "; warnings and errors logged meanwhile: " + this.problems.lines())
			.isEmpty();
		assertThat(times).as("seen").hasSameSizeAs(expected);
	}

	private static long millis(long fromNanos, long toNanos) {
		return (toNanos - fromNanos) / 1_000_000;
	}

	private static Map<String, Integer> counted(List<String> items) {
		Map<String, Integer> counts = new HashMap<>();
		items.forEach(item -> counts.merge(item, 1, Integer::sum));
		return counts;
	}

	private static Map<String, Integer> sum(Map<String, Integer> first, Map<String, Integer> second) {
		Map<String, Integer> sum = new HashMap<>(first);
		second.forEach((item, times) -> sum.merge(item, times, Integer::sum));
		return sum;
	}

	/** One instance of the application, as the test drives it. */
	private record Instance(ApplicationContext context) {

		<T> T bean(Class<T> type) {
			return this.context.getBean(type);
		}

		TransactionTemplate transactions() {
			return new TransactionTemplate(bean(PlatformTransactionManager.class));
		}

		/**
		 * Runs {@code work} in a transaction, again if the database chose it as a deadlock's victim, as an application
		 * would: InnoDB (MariaDB) ended one of two instances' concurrent deletes of distinct rows that way once in 20
		 * or so runs. A transaction rolled back records no effect, so each object is still deleted once.
		 */
		void inTransaction(Runnable work) {
			for (int attempt = 1;; attempt++) {
				try {
					transactions().executeWithoutResult(status -> work.run());
					return;
				}
				catch (PessimisticLockingFailureException ex) {
					if (attempt == 3) {
						throw ex;
					}
				}
			}
		}

	}

}
