package io.mutationhooks.sample;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import io.mutationhooks.autoconfigure.SchemaInitializer;
import io.mutationhooks.sample.s3.EmbeddedS3Properties;
import io.mutationhooks.sample.s3.EmbeddedS3Server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample killed with SIGKILL in the middle of a burst of user deletes sent over HTTP, and started again on its
 * data: within a minute the bucket holds exactly the avatars of the users left. The sample runs in a JVM of its own;
 * its database and its S3 run in the test's JVM and outlive it, as a database server and S3 would: an H2 server on
 * loopback (the profile's database on PostgreSQL runs), and S3Proxy storing into a folder under {@code target/}. Not
 * the sample's own H2 file: a SIGKILL loses the commits of its last second or so, while the avatar deletes that
 * followed them may already have run. MariaDB runs use H2 too, since the sample supports only H2 and PostgreSQL.
 */
class KilledDuringABurstOfDeletesIntegrationTests {

	private static final int USERS = 200;

	private static final int DELETED = 150;

	private static final int ACKNOWLEDGED_BEFORE_THE_KILL = 50;

	private static final String BUCKET = "avatars";

	private final Path runDirectory = Path.of("target", "killed-sample", UUID.randomUUID().toString());

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private EmbeddedS3Server s3Server;

	private S3Client s3;

	private Server h2Server;

	private Map<String, String> database;

	private SampleAppProcess killed;

	private SampleAppProcess restarted;

	@BeforeEach
	void startS3AndTheDatabase() throws SQLException {
		this.s3Server = new EmbeddedS3Server(new EmbeddedS3Properties(true, 0,
				this.runDirectory.resolve("s3").toString(), "sample-access", "sample-secret"));
		this.s3Server.start();
		this.s3Server.createBuckets(List.of(BUCKET));
		this.s3 = S3Client.builder()
			.endpointOverride(this.s3Server.endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(
					StaticCredentialsProvider.create(AwsBasicCredentials.create("sample-access", "sample-secret")))
			.build();
		this.database = new LinkedHashMap<>();
		if ("postgresql".equals(System.getProperty("mutation-hooks.test.database"))) {
			this.database.put("spring.datasource.url",
					env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
			this.database.put("spring.datasource.username", env("SPRING_DATASOURCE_USERNAME", "postgres"));
			this.database.put("spring.datasource.password", env("SPRING_DATASOURCE_PASSWORD", ""));
			startWithNoUsersAndNoEffects();
		}
		else {
			// Only on loopback: the build sets h2.bindAddress; -ifNotExists lets the sample create the database.
			this.h2Server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
			this.database.put("spring.datasource.url", "jdbc:h2:tcp://127.0.0.1:" + this.h2Server.getPort()
					+ "/mem:sample-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
		}
	}

	@AfterEach
	void stopEverything() {
		for (SampleAppProcess app : new SampleAppProcess[] { this.killed, this.restarted }) {
			if (app != null) {
				app.close();
			}
		}
		this.s3.close();
		this.s3Server.stop();
		if (this.h2Server != null) {
			onTheDatabase(jdbc -> jdbc.execute("SHUTDOWN"));
			this.h2Server.stop();
		}
		else {
			startWithNoUsersAndNoEffects();
		}
	}

	@Test
	void afterAKillInTheMiddleOfDeletesTheBucketHoldsExactlyTheAvatarsOfTheRemainingUsers() throws Exception {
		this.killed = start("killed");
		List<Long> ids = IntStream.range(0, USERS).mapToObj(i -> createUser(this.killed, "burst-" + i + ".png")).toList();
		Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
		CountDownLatch halfway = new CountDownLatch(ACKNOWLEDGED_BEFORE_THE_KILL);
		ExecutorService clients = Executors.newFixedThreadPool(8);
		ids.subList(0, DELETED).forEach(id -> clients.execute(() -> {
			if (send(HttpRequest.newBuilder(this.killed.uri("/users/" + id)).DELETE()) == 204) {
				acknowledged.add(id);
				halfway.countDown();
			}
		}));

		assertThat(halfway.await(60, TimeUnit.SECONDS)).as("deletes acknowledged before the kill").isTrue();
		this.killed.kill();
		clients.shutdownNow();
		assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		onTheDatabase(jdbc -> System.out.println(acknowledged.size() + " deletes acknowledged, " + jdbc.queryForObject(
				"SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'", Long.class)
				+ " avatar deletes waiting when the sample was killed"));
		this.restarted = start("restarted");

		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(bucket()).as("the avatars in the bucket")
				.containsExactlyInAnyOrderElementsOf(users(this.restarted).keySet()));
		Collection<Long> remaining = users(this.restarted).values();
		assertThat(remaining).as("users never deleted").containsAll(ids.subList(DELETED, USERS));
		assertThat(remaining).as("users whose delete was acknowledged").doesNotContainAnyElementsOf(acknowledged);
		assertThat(acknowledged).as("deletes acknowledged: the kill came in the middle of the burst")
			.hasSizeLessThan(DELETED);
	}

	private SampleAppProcess start(String name) {
		Map<String, String> properties = new LinkedHashMap<>(this.database);
		properties.put("sample.embedded-s3.enabled", "false");
		properties.put("spring.cloud.aws.s3.endpoint", this.s3Server.endpoint().toString());
		properties.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
		properties.put("spring.cloud.aws.credentials.access-key", "sample-access");
		properties.put("spring.cloud.aws.credentials.secret-key", "sample-secret");
		// What a reader of the output needs: deletes failing or taken over, not every user created.
		properties.put("mutation-hooks.logging.enabled", "false");
		properties.put("logging.level.com.github.kagkarlsson.scheduler", "INFO");
		return SampleAppProcess.startAndAwaitReady(this.runDirectory.resolve(name + ".log"), properties);
	}

	/** Uploads an avatar straight to S3 and creates its user over HTTP, which checks that it is there. */
	private long createUser(SampleAppProcess app, String avatar) {
		this.s3.putObject(request -> request.bucket(BUCKET).key(avatar).contentType("image/png"),
				RequestBody.fromBytes(AbstractSampleAppIntegrationTests.PNG));
		HttpResponse<String> created = sendForBody(HttpRequest.newBuilder(app.uri("/users"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{ \"name\": \"owner of " + avatar + "\", \"avatarUrl\": \"" + avatar + "\" }")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return ((Number) JsonPath.read(created.body(), "$.id")).longValue();
	}

	/** The users, avatar to id. */
	private Map<String, Long> users(SampleAppProcess app) {
		String body = sendForBody(HttpRequest.newBuilder(app.uri("/users")).GET()).body();
		List<String> avatars = JsonPath.read(body, "$[*].avatarUrl");
		List<Number> ids = JsonPath.read(body, "$[*].id");
		Map<String, Long> users = new LinkedHashMap<>();
		IntStream.range(0, avatars.size()).forEach(i -> users.put(avatars.get(i), ids.get(i).longValue()));
		return users;
	}

	private List<String> bucket() {
		return this.s3.listObjectsV2Paginator(request -> request.bucket(BUCKET))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	/** The status of the answer, or 0 if there was none: the app died with the request in flight. */
	private int send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	private HttpResponse<String> sendForBody(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** On PostgreSQL, the database of other runs: no users, and no effects, to start and to end with. */
	private void startWithNoUsersAndNoEffects() {
		onTheDatabase(jdbc -> {
			jdbc.execute("DROP TABLE IF EXISTS users");
			for (String location : new String[] { SchemaInitializer.EFFECTS, SchemaInitializer.S3_LEASES }) {
				new SchemaInitializer(jdbc.getDataSource(), DatabaseInitializationMode.ALWAYS, location).initializeDatabase();
			}
			jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'");
		});
	}

	private void onTheDatabase(Consumer<JdbcTemplate> work) {
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(
				this.database.get("spring.datasource.url"), this.database.get("spring.datasource.username"),
				this.database.get("spring.datasource.password"), true);
		try {
			work.accept(new JdbcTemplate(dataSource));
		}
		finally {
			dataSource.destroy();
		}
	}

	private static String env(String name, String otherwise) {
		String value = System.getenv(name);
		return value != null ? value : otherwise;
	}

}
