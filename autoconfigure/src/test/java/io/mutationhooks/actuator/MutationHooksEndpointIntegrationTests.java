package io.mutationhooks.actuator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import io.mutationhooks.Condition;
import io.mutationhooks.Hook;
import io.mutationhooks.Hooks;
import io.mutationhooks.Op;
import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectStatus;
import io.mutationhooks.effects.Effects;
import io.mutationhooks.s3.DatabaseClock;
import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.TestEffects;
import io.mutationhooks.testapp.TestEffects.Note;
import io.mutationhooks.testapp.User;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint's JSON over HTTP on the test application, exposed with the health endpoint: the chains of
 * {@code Member} and {@code User} in running order, the backlog as an effect parks and is run again or discarded,
 * a dry-run sweep, refusals with their status and message, and the health indicator's details; with read-only
 * access, the write operations are gone.
 */
@SpringBootTest(classes = { TestApplication.class, MutationHooksEndpointIntegrationTests.UserNameHook.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet",
				"management.endpoints.web.exposure.include=mutationhooks,health",
				"management.endpoint.mutationhooks.access=unrestricted",
				"management.endpoint.health.show-details=always", "mutation-hooks.health.cache-time-to-live=0s",
				"mutation-hooks.s3.buckets.avatars.prefix=endpoint/",
				"mutation-hooks.s3.buckets.avatars.sweep.enabled=true",
				"mutation-hooks.s3.buckets.avatars.sweep.grace-period=0s" })
class MutationHooksEndpointIntegrationTests {

	private static final String USER = "$.entities['" + User.class.getName() + "']";

	private static final String MEMBER = "$.entities['" + Member.class.getName() + "']";

	@LocalServerPort
	int port;

	@Autowired
	Effects effects;

	@Autowired
	EffectBacklog backlog;

	@Autowired
	TestEffects.Probe probe;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	S3Client s3;

	@Autowired
	JdbcDialect dialect;

	@DynamicPropertySource
	static void s3Proxy(DynamicPropertyRegistry registry) {
		S3ProxyServer.shared().registerEndpoint(registry);
	}

	@BeforeEach
	@AfterEach
	void noEffects() {
		EffectRows.clear(this.jdbc);
		this.probe.reset();
	}

	@Test
	void theEndpointIsListedUnderActuator() {
		ResponseEntity<String> links = get("/actuator");

		assertThat(links.getStatusCode().value()).isEqualTo(200);
		assertThat(read(links, "$._links.mutationhooks.href", String.class)).endsWith("/actuator/mutationhooks");
	}

	@Test
	void eachEntityShowsItsHookChainInRunningOrderWithNamesOrdersScopesAndConditions() {
		ResponseEntity<String> response = get("/actuator/mutationhooks");

		assertThat(response.getStatusCode().value()).isEqualTo(200);
		assertThat(response.getHeaders().getContentType().toString())
			.startsWith("application/vnd.spring-boot.actuator.v3+json");
		assertThat(read(response, USER + ".hooks[*].name", List.class)).containsExactly("recordingHook",
				"switchableHook", "userNameHook");
		assertThat(read(response, USER + ".hooks[*].order", List.class)).as("left out for the unordered hook")
			.containsExactly(1, 2);
		assertThat(read(response, USER + ".hooks[2]", Map.class)).doesNotContainKey("order");
		assertThat(read(response, USER + ".hooks[*].scope", List.class)).containsExactly("global", "global",
				"entity");
		assertThat(read(response, USER + ".hooks[0].type", String.class))
			.isEqualTo("io.mutationhooks.testapp.RecordingHook");
		assertThat(read(response, USER + ".hooks[2].entityType", String.class)).isEqualTo(User.class.getName());
		assertThat(read(response, USER + ".hooks[2].conditions", List.class)).containsExactly(
				Map.of("guard", "when", "condition", "hasFields(name)"),
				Map.of("guard", "on", "condition", "CREATE|UPDATE_ONE"));
		assertThat(read(response, USER + ".unknownRowsQueries[*].method", List.class))
			.contains("UserRepository.updateEmailByName(String, String)");
		assertThat(read(response, USER + ".s3References", List.class)).isEmpty();

		assertThat(read(response, MEMBER + ".hooks[*].name", List.class)).containsExactly("recordingHook",
				"switchableHook", "s3SyncHook");
		assertThat(read(response, MEMBER + ".hooks[2].description", String.class))
			.isEqualTo("S3SyncHook(Member.avatarUrl -> avatars)");
		assertThat(read(response, MEMBER + ".hooks[2].entityType", String.class)).isEqualTo(Member.class.getName());
		assertThat(read(response, MEMBER + ".s3References[0]", Map.class)).containsEntry("field", "avatarUrl")
			.containsEntry("bucket", "avatars")
			.containsEntry("bucketName", "avatars")
			.containsEntry("prefix", "endpoint/")
			.containsEntry("verifyOnWrite", true)
			.containsEntry("cleanup", true);
		assertThat(read(response, MEMBER + ".s3References[0].sweep.mode", String.class)).isEqualTo("dry-run");
		assertThat(read(response, "$.sweeps.avatars.settings.gracePeriod", String.class)).isEqualTo("PT0S");
	}

	@Test
	void aParkedEffectShowsInTheBacklogAndRunsAgainOnAPost() {
		assertThat(read(get("/actuator/mutationhooks"), "$.effects.totals.PARKED", Integer.class)).isZero();
		String id = parkANote("refused once");

		ResponseEntity<String> overview = get("/actuator/mutationhooks");
		assertThat(read(overview, "$.effects.totals.PARKED", Integer.class)).isOne();
		assertThat(read(overview, "$.effects.byEffect[0]", Map.class)).containsEntry("effect", TestEffects.NOTES)
			.containsEntry("status", "PARKED")
			.containsEntry("count", 1)
			.containsKeys("oldestRequestedAt", "oldestAge");

		ResponseEntity<String> parked = get("/actuator/mutationhooks/effects?status=parked");
		assertThat(parked.getStatusCode().value()).isEqualTo(200);
		assertThat(read(parked, "$.total", Integer.class)).isOne();
		assertThat(read(parked, "$.effects[0].id", String.class)).isEqualTo(id);
		assertThat(read(parked, "$.effects[0].attempts", Integer.class)).isOne();
		assertThat(read(parked, "$.effects[0].lastError", String.class)).contains("the note service refused");
		assertThat(read(parked, "$.effects[0].payloads", List.class)).containsExactly("{\"text\":\"refused once\"}");

		this.probe.failForGood = false;
		ResponseEntity<String> rerun = send(HttpMethod.POST, "/actuator/mutationhooks/effects/" + id, "{}");

		assertThat(rerun.getStatusCode().value()).isEqualTo(200);
		assertThat(read(rerun, "$.action", String.class)).isEqualTo("rerun");
		await().atMost(Duration.ofSeconds(20)).until(() -> this.probe.notes().contains("refused once"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> read(get("/actuator/mutationhooks"), "$.effects.totals.PARKED", Integer.class) == 0);
	}

	@Test
	void aParkedEffectIsDiscardedOnADeleteAndThenNotFound() {
		String id = parkANote("discard me");

		ResponseEntity<String> discarded = send(HttpMethod.DELETE, "/actuator/mutationhooks/effects/" + id, null);
		ResponseEntity<String> again = send(HttpMethod.DELETE, "/actuator/mutationhooks/effects/" + id, null);

		assertThat(discarded.getStatusCode().value()).isEqualTo(200);
		assertThat(read(discarded, "$.action", String.class)).isEqualTo("discarded");
		assertThat(EffectRows.stored(this.jdbc)).isZero();
		assertThat(again.getStatusCode().value()).isEqualTo(404);
		assertThat(read(again, "$.message", String.class)).isEqualTo("No parked effect with id " + id
				+ " (it may have run, been discarded, or not be parked)");
	}

	@Test
	void aSweepIsADryRunUnlessAskedAndReturnsItsReport() {
		putObject("endpoint/orphan.png");

		ResponseEntity<String> swept = send(HttpMethod.POST, "/actuator/mutationhooks/sweeps/avatars", "{}");

		assertThat(swept.getStatusCode().value()).isEqualTo(200);
		assertThat(read(swept, "$.report.mode", String.class)).isEqualTo("dry-run");
		assertThat(read(swept, "$.report.complete", Boolean.class)).isTrue();
		assertThat(read(swept, "$.report.orphans", Integer.class)).isPositive();
		assertThat(read(swept, "$.summary", String.class)).startsWith("Sweep of bucket avatars (avatars, dry-run) done");
		assertThat(this.s3.headObject(request -> request.bucket("avatars").key("endpoint/orphan.png")).contentLength())
			.as("a dry run deletes nothing").isPositive();
		assertThat(read(get("/actuator/mutationhooks/sweeps/avatars"), "$.lastReports[0].runId", String.class))
			.isEqualTo(read(swept, "$.report.runId", String.class));
		assertThat(read(get("/actuator/mutationhooks"), "$.sweeps.avatars.lastReports[0].runId", String.class))
			.as("the overview shows the last report too")
			.isEqualTo(read(swept, "$.report.runId", String.class));
	}

	@Test
	void parkedEffectsComeAPageAtATimeTheOldestFirstWithTheirTimes() {
		this.probe.failForGood = true;
		for (String text : List.of("first", "second", "third")) {
			this.effects.request(TestEffects.NOTES, new Note(text));
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.backlog.list(EffectStatus.PARKED, 10), parked -> parked.size() == 3);

		ResponseEntity<String> first = get("/actuator/mutationhooks/effects?status=parked&page=0&size=2");
		ResponseEntity<String> second = get("/actuator/mutationhooks/effects?status=parked&page=1&size=2");

		assertThat(read(first, "$.total", Integer.class)).isEqualTo(3);
		assertThat(read(first, "$.page", Integer.class)).isZero();
		assertThat(read(first, "$.effects[*].payloads[0]", List.class)).hasSize(2);
		assertThat(read(second, "$.total", Integer.class)).isEqualTo(3);
		assertThat(read(second, "$.page", Integer.class)).isOne();
		assertThat(read(second, "$.effects[*].id", List.class)).hasSize(1)
			.doesNotContainAnyElementsOf(read(first, "$.effects[*].id", List.class));
		List<?> requested = read(first, "$.effects[*].requestedAt", List.class);
		assertThat(Instant.parse((String) requested.get(0)))
			.isBeforeOrEqualTo(Instant.parse((String) requested.get(1)))
			.isBeforeOrEqualTo(Instant.parse(read(second, "$.effects[0].requestedAt", String.class)));
		assertThat(Instant.parse(read(second, "$.effects[0].parkedAt", String.class)))
			.isAfterOrEqualTo(Instant.parse(read(second, "$.effects[0].requestedAt", String.class)));
		assertThat(read(second, "$.effects[0].lastAttemptAt", String.class)).isNotNull();
	}

	@Test
	void aSweepOfABucketAnotherRunHoldsIsAConflict() {
		this.jdbc.update("DELETE FROM mutation_hooks_s3_sweep");
		this.jdbc.update("INSERT INTO mutation_hooks_s3_sweep (bucket, run_mode, run_id, heartbeat_at) VALUES "
				+ "('avatars', 'dry-run', 'another', " + DatabaseClock.of(this.dialect).now() + ")");
		try {
			ResponseEntity<String> swept = send(HttpMethod.POST, "/actuator/mutationhooks/sweeps/avatars", "{}");

			assertThat(swept.getStatusCode().value()).isEqualTo(409);
			assertThat(read(swept, "$.message", String.class))
				.isEqualTo("The bucket avatars is being swept by another run; try again once it has ended");
		}
		finally {
			this.jdbc.update("DELETE FROM mutation_hooks_s3_sweep");
		}
	}

	@Test
	void danglingReferencesOfABucketAreReportedWithTheirRowAndKey() {
		putObject("endpoint/there.png");
		this.jdbc.update("DELETE FROM member");
		this.jdbc.update("INSERT INTO member (name, avatar_url) VALUES ('there', 'endpoint/there.png')");
		this.jdbc.update("INSERT INTO member (name, avatar_url) VALUES ('gone', 'endpoint/gone.png')");
		try {
			ResponseEntity<String> found = get("/actuator/mutationhooks/dangling/avatars");

			assertThat(found.getStatusCode().value()).isEqualTo(200);
			assertThat(read(found, "$.report.dangling", Integer.class)).isOne();
			assertThat(read(found, "$.report.unknown", Integer.class)).isZero();
			assertThat(read(found, "$.report.firstDangling[0].key", String.class)).isEqualTo("endpoint/gone.png");
			assertThat(read(found, "$.report.firstDangling[0].status", String.class)).isEqualTo("MISSING");
			assertThat(read(found, "$.report.firstDangling[0].path", String.class)).isEqualTo("avatarUrl");
			assertThat(read(found, "$.summary", String.class)).contains("1 dangling");
		}
		finally {
			this.jdbc.update("DELETE FROM member");
		}
	}

	@Test
	void aBadStatusModeOrBucketIsRefusedSayingWhy() {
		ResponseEntity<String> badStatus = get("/actuator/mutationhooks/effects?status=stuck");
		ResponseEntity<String> badSize = get("/actuator/mutationhooks/effects?status=pending&size=0");
		ResponseEntity<String> badMode = send(HttpMethod.POST, "/actuator/mutationhooks/sweeps/avatars",
				"{\"mode\": \"shred\"}");
		ResponseEntity<String> unknownBucket = send(HttpMethod.POST, "/actuator/mutationhooks/sweeps/docs", "{}");
		ResponseEntity<String> beyondItsMode = send(HttpMethod.POST, "/actuator/mutationhooks/sweeps/avatars",
				"{\"mode\": \"delete\"}");

		assertThat(badStatus.getStatusCode().value()).isEqualTo(400);
		assertThat(read(badStatus, "$.message", String.class))
			.isEqualTo("Unknown effect status stuck; use one of [pending, running, retrying, parked]");
		assertThat(badSize.getStatusCode().value()).isEqualTo(400);
		assertThat(read(badSize, "$.message", String.class)).isEqualTo("size must be from 1 to 500, not 0");
		assertThat(badMode.getStatusCode().value()).isEqualTo(400);
		assertThat(read(badMode, "$.message", String.class))
			.isEqualTo("Unknown sweep mode shred; use one of [dry-run, delete, quarantine]");
		assertThat(unknownBucket.getStatusCode().value()).isEqualTo(404);
		assertThat(read(unknownBucket, "$.message", String.class)).isEqualTo(
				"No bucket docs is swept; these are: [avatars] (mutation-hooks.s3.buckets.<name>.sweep.enabled)");
		assertThat(beyondItsMode.getStatusCode().value()).isEqualTo(400);
		assertThat(read(beyondItsMode, "$.message", String.class)).isEqualTo("Bucket avatars is swept in mode dry-run: "
				+ "a request may ask for that or dry-run, not delete (set mutation-hooks.s3.buckets.avatars.sweep.mode "
				+ "to allow it)");
	}

	@Test
	void theHealthIndicatorShowsTheBacklogAndStaysUpWithAParkedEffect() {
		parkANote("parked for health");

		ResponseEntity<String> health = get("/actuator/health/mutationhooks");

		assertThat(health.getStatusCode().value()).isEqualTo(200);
		assertThat(read(health, "$.status", String.class)).isEqualTo("UP");
		assertThat(read(health, "$.details.parked", Integer.class)).isOne();
		assertThat(read(health, "$.details.pending", Integer.class)).isZero();
	}

	/** With the bucket swept in mode delete, a sweep asked to delete takes the orphans it finds. */
	@Nested
	@TestPropertySource(properties = "mutation-hooks.s3.buckets.avatars.sweep.mode=delete")
	class DeleteMode {

		@Test
		void aSweepAskedToDeleteDeletesTheOrphansItFinds() {
			putObject("endpoint/orphan-to-delete.png");

			ResponseEntity<String> swept = send(HttpMethod.POST, "/actuator/mutationhooks/sweeps/avatars",
					"{\"mode\": \"delete\"}");

			assertThat(swept.getStatusCode().value()).isEqualTo(200);
			assertThat(read(swept, "$.report.mode", String.class)).isEqualTo("delete");
			assertThat(read(swept, "$.report.orphans", Integer.class)).isPositive();
			assertThat(read(swept, "$.summary", String.class)).contains("deleted");
			EffectRows.awaitSettled(MutationHooksEndpointIntegrationTests.this.jdbc);
			assertThatExceptionOfType(NoSuchKeyException.class)
				.isThrownBy(() -> MutationHooksEndpointIntegrationTests.this.s3
					.headObject(request -> request.bucket("avatars").key("endpoint/orphan-to-delete.png")));
		}

	}

	/** With read-only access, the endpoint reads as before and refuses every write. */
	@Nested
	@TestPropertySource(properties = "management.endpoint.mutationhooks.access=read-only")
	class ReadOnly {

		@Test
		void writeOperationsAreRefusedAndChangeNothing() {
			String id = parkANote("kept");

			ResponseEntity<String> rerun = send(HttpMethod.POST, "/actuator/mutationhooks/effects/" + id, "{}");
			ResponseEntity<String> discard = send(HttpMethod.DELETE, "/actuator/mutationhooks/effects/" + id, null);
			ResponseEntity<String> sweep = send(HttpMethod.POST, "/actuator/mutationhooks/sweeps/avatars", "{}");

			assertThat(List.of(rerun, discard, sweep)).extracting(response -> response.getStatusCode().value())
				.containsOnly(405);
			assertThat(read(get("/actuator/mutationhooks/effects?status=parked"), "$.effects[*].id", List.class))
				.containsExactly(id);
		}

	}

	/** Parks a note refused for good and returns its id. */
	String parkANote(String text) {
		this.probe.failForGood = true;
		this.effects.request(TestEffects.NOTES, new Note(text));
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> this.backlog.list(EffectStatus.PARKED, 10), parked -> parked.size() == 1)
			.get(0)
			.id();
	}

	void putObject(String key) {
		try {
			this.s3.createBucket(request -> request.bucket("avatars"));
		}
		catch (BucketAlreadyOwnedByYouException ex) {
			// there from an earlier test
		}
		this.s3.putObject(request -> request.bucket("avatars").key(key),
				RequestBody.fromString("image of " + key, StandardCharsets.UTF_8));
	}

	ResponseEntity<String> get(String path) {
		return send(HttpMethod.GET, path, null);
	}

	ResponseEntity<String> send(HttpMethod method, String path, String json) {
		RestClient.RequestBodySpec request = RestClient.create("http://localhost:" + this.port)
			.method(method)
			.uri(path);
		if (json != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(json);
		}
		return request.retrieve().onStatus(status -> true, (req, res) -> {
		}).toEntity(String.class);
	}

	static <T> T read(ResponseEntity<String> response, String path, Class<T> type) {
		return JsonPath.parse(response.getBody()).read(path, type);
	}

	/** A hook on users' names: on creates and updates, when the name is set. */
	@Configuration(proxyBeanMethods = false)
	static class UserNameHook {

		@Bean
		Hook userNameHook() {
			return Hooks.forEntity(User.class,
					Hooks.when(Hooks.on(next -> next::mutate, Op.CREATE, Op.UPDATE_ONE), Condition.hasFields("name")));
		}

	}

}
