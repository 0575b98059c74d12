package io.mutationhooks.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletes outlive the instance that recorded them: the test application runs in a JVM of its own, is killed with
 * SIGKILL while its deletes cannot finish, and is started again on the same database; then the objects of the deleted
 * rows go, and those of the other rows stay. A delete that was running when its instance died is taken over once
 * db-scheduler finds it dead: with the starter's heartbeat settings, within about 40 seconds.
 */
class S3CleanupAfterAKillIntegrationTests {

	private static final String BUCKET = "avatars";

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private final String run = "killed-" + UUID.randomUUID();

	private final List<TestApplicationProcess> processes = new ArrayList<>();

	private Path runDirectory;

	private SharedTestDatabase database;

	private S3Client s3;

	@BeforeEach
	void startS3AndTheDatabase(TestInfo test) {
		S3ProxyServer.shared().start();
		this.s3 = S3Client.builder()
			.endpointOverride(S3ProxyServer.shared().endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
			.build();
		try {
			this.s3.createBucket(request -> request.bucket(BUCKET));
		}
		catch (BucketAlreadyOwnedByYouException ex) {
			// there from an earlier test
		}
		this.runDirectory = Path.of("target", "killed-instances",
				test.getTestMethod().orElseThrow().getName() + "-" + this.run);
		this.database = SharedTestDatabase.create();
	}

	@AfterEach
	void killTheApplicationsAndCleanUp() {
		this.processes.forEach(TestApplicationProcess::close);
		S3ProxyServer.shared().start();
		this.database.query(jdbc -> {
			jdbc.update("DELETE FROM member WHERE avatar_url LIKE ?", this.run + "/%");
			return jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'");
		});
		this.database.close();
		keys().forEach(key -> this.s3.deleteObject(request -> request.bucket(BUCKET).key(key)));
		this.s3.close();
	}

	/**
	 * Deletes still running when the instance died (retrying against S3 that is down) are found dead after the missed
	 * heartbeats: a short heartbeat here lets that come sooner; how long it takes with the defaults is what
	 * {@link #aDeleteRunningWhenItsInstanceIsKilledIsTakenOverWithinAMinute()} measures.
	 */
	@Test
	void deletesCommittedWhileS3IsDownAreDoneByTheInstanceStartedAfterTheKill() {
		List<String> deleted = membersWithAvatars("deleted", 15);
		List<String> kept = membersWithAvatars("kept", 5);
		S3ProxyServer.shared().stop();
		String deletedPrefix = this.run + "/deleted/";
		Map<String, String> shortHeartbeat = Map.of("db-scheduler.heartbeat-interval", "1s");
		Map<String, String> deleting = new LinkedHashMap<>(shortHeartbeat);
		deleting.put(TestApplicationProcess.DELETE_MEMBERS, deletedPrefix);
		TestApplicationProcess first = start("first", S3ProxyServer.shared().endpoint(), deleting);
		first.awaitOutput(TestApplicationProcess.deletedMembers(deleted.size(), deletedPrefix), STARTUP);
		first.awaitOutput("Could not delete s3://avatars/" + deletedPrefix, Duration.ofSeconds(30));

		first.kill();
		long storedWhenKilled = this.database.query(S3CleanupAfterAKillIntegrationTests::storedEffects);
		S3ProxyServer.shared().start();
		TestApplicationProcess restarted = start("restarted", S3ProxyServer.shared().endpoint(), shortHeartbeat);

		await().atMost(STARTUP)
			.untilAsserted(() -> assertThat(keys()).as("avatars in the bucket").containsExactlyInAnyOrderElementsOf(kept));
		assertThat(storedWhenKilled).as("effects stored when the instance was killed").isEqualTo(deleted.size());
		restarted.stop();
		assertThat(this.database.query(S3CleanupAfterAKillIntegrationTests::storedEffects)).as("effects left").isZero();
	}

	@Test
	void aDeleteRunningWhenItsInstanceIsKilledIsTakenOverWithinAMinute() {
		List<String> deleted = membersWithAvatars("running", 1);
		Instant killed;
		try (SilentS3Server hanging = SilentS3Server.start()) {
			TestApplicationProcess first = start("first", hanging.endpoint(),
					Map.of(TestApplicationProcess.DELETE_MEMBERS, this.run + "/", "mutation-hooks.s3.cleanup.attempt-timeout",
							"10m", "mutation-hooks.s3.cleanup.call-timeout", "10m", "mutation-hooks.s3.verify.lease-timeout",
							"40m"));
			first.awaitOutput(TestApplicationProcess.deletedMembers(1, this.run + "/"), STARTUP);
			await().atMost(Duration.ofSeconds(30)).until(() -> hanging.accepted() > 0);

			killed = Instant.now();
			first.kill();
		}
		long runningWhenKilled = this.database.query(jdbc -> jdbc.queryForObject(
				"SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect' AND picked = ?",
				Long.class, true));
		TestApplicationProcess restarted = start("restarted", S3ProxyServer.shared().endpoint(), Map.of());

		await().atMost(Duration.ofSeconds(60).minus(Duration.between(killed, Instant.now())))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(keys()).as("avatars in the bucket").doesNotContainAnyElementsOf(deleted));
		Duration takeover = Duration.between(killed, Instant.now());
		System.out.println("The delete running in the killed instance was done " + takeover.toMillis()
				+ " ms after the kill");
		assertThat(runningWhenKilled).as("effects running when the instance was killed").isOne();
		assertThat(takeover).isLessThan(Duration.ofSeconds(60));
		restarted.stop();
		assertThat(this.database.query(S3CleanupAfterAKillIntegrationTests::storedEffects)).as("effects left").isZero();
	}

	/** Puts {@code count} avatars under {@code <run>/<group>/} and inserts a member for each, past the hooks. */
	private List<String> membersWithAvatars(String group, int count) {
		List<String> keys = IntStream.range(0, count).mapToObj(i -> this.run + "/" + group + "/" + i + ".png").toList();
		keys.forEach(key -> this.s3.putObject(request -> request.bucket(BUCKET).key(key),
				RequestBody.fromString("image of " + key, StandardCharsets.UTF_8)));
		this.database.query(jdbc -> {
			keys.forEach(key -> jdbc.update("INSERT INTO member (name, avatar_url) VALUES (?, ?)", "owner of " + key, key));
			return keys.size();
		});
		return keys;
	}

	private TestApplicationProcess start(String name, URI s3, Map<String, String> properties) {
		Map<String, String> all = new LinkedHashMap<>(this.database.properties());
		all.put("spring.cloud.aws.s3.endpoint", s3.toString());
		all.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
		all.put("spring.cloud.aws.credentials.access-key", S3ProxyServer.ACCESS_KEY);
		all.put("spring.cloud.aws.credentials.secret-key", S3ProxyServer.SECRET_KEY);
		// What a reader of the output needs: effects failing, dead executions found.
		all.put("logging.level.io.mutationhooks", "INFO");
		all.put("logging.level.com.github.kagkarlsson.scheduler", "INFO");
		all.putAll(properties);
		TestApplicationProcess process = TestApplicationProcess.start(this.runDirectory.resolve(name + ".log"), all);
		this.processes.add(process);
		return process;
	}

	private List<String> keys() {
		return this.s3.listObjectsV2Paginator(request -> request.bucket(BUCKET).prefix(this.run + "/"))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	private static long storedEffects(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'",
				Long.class);
	}

}
