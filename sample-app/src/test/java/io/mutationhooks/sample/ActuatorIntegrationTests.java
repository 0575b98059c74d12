package io.mutationhooks.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.mutationhooks.sample.s3.EmbeddedS3Server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample exposes the starter's {@code mutationhooks} endpoint and its health indicator over HTTP, as the page's
 * panel reads them: the hooks around a write of {@code User} in running order, the effect backlog (an avatar's
 * delete waits in it while S3 is away), and dry-run sweeps of the avatars bucket.
 */
class ActuatorIntegrationTests extends AbstractSampleAppIntegrationTests {

	static final String USER = "$.entities['io.mutationhooks.sample.users.User']";

	static final String DELETE_EFFECT = "mutation-hooks.s3-delete";

	@Autowired
	EmbeddedS3Server embeddedS3;

	@Test
	void theActuatorIndexLinksTheEndpointAndHealth() {
		HttpResponse<String> index = get("/actuator");

		assertThat(index.statusCode()).isEqualTo(200);
		assertThat((String) json(index, "$._links.mutationhooks.href")).endsWith("/actuator/mutationhooks");
		assertThat((String) json(index, "$._links.health.href")).endsWith("/actuator/health");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theEndpointShowsTheHooksAroundAWriteOfUserInRunningOrder() {
		HttpResponse<String> endpoint = get("/actuator/mutationhooks");

		assertThat(endpoint.statusCode()).isEqualTo(200);
		assertThat((List<Object>) json(endpoint, USER + ".hooks[*].name")).containsExactly("mutationLoggingHook",
				"usersAreImmutable", "s3SyncHook");
		assertThat((List<Object>) json(endpoint, USER + ".hooks[*].scope")).containsExactly("global", "entity",
				"entity");
		assertThat((String) json(endpoint, USER + ".hooks[1].description"))
			.isEqualTo("forEntity(User, on(UPDATE_ONE|UPDATE, UserHooks lambda))");
		assertThat((String) json(endpoint, USER + ".s3References[0].field")).isEqualTo("avatarUrl");
		assertThat((String) json(endpoint, "$.sweeps.avatars.settings.mode")).isEqualTo("dry-run");
		assertThat((Integer) json(endpoint, "$.effects.totals.PENDING")).isZero();
		assertThat((Integer) json(endpoint, "$.effects.totals.PARKED")).isZero();
	}

	@Test
	void healthShowsTheEffectBacklogAsItsMutationhooksComponent() {
		HttpResponse<String> health = get("/actuator/health");

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat((String) json(health, "$.components.mutationhooks.status")).isEqualTo("UP");
		assertThat((Integer) json(health, "$.components.mutationhooks.details.pending")).isZero();
		assertThat((Integer) json(health, "$.components.mutationhooks.details.parked")).isZero();
	}

	@Test
	@SuppressWarnings("unchecked")
	void anAvatarsDeleteWaitsInTheBacklogWhileS3IsAwayAndLeavesItOnceS3IsBack() {
		put("/avatars/a8m.png", PNG, "image/png");
		String user = createUser("a8m", "a8m.png");
		this.embeddedS3.stop();
		try {
			assertThat(delete(user).statusCode()).isEqualTo(204);

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				HttpResponse<String> endpoint = get("/actuator/mutationhooks");
				assertThat((Integer) json(endpoint, "$.effects.totals.RETRYING")).isOne();
				assertThat((List<Object>) json(endpoint, "$.effects.byEffect[*].effect")).containsExactly(DELETE_EFFECT);
			});
			HttpResponse<String> retrying = get("/actuator/mutationhooks/effects?status=retrying");
			assertThat(retrying.statusCode()).isEqualTo(200);
			assertThat((List<Object>) json(retrying, "$.effects[*].effect")).containsExactly(DELETE_EFFECT);
			assertThat((List<Object>) json(retrying, "$.effects[0].payloads")).singleElement()
				.asString()
				.contains("a8m.png");
			// The health indicator reads the backlog at most once a second (mutation-hooks.health.cache-time-to-live).
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(
						(Integer) json(get("/actuator/health"), "$.components.mutationhooks.details.retrying"))
					.isOne());
		}
		finally {
			this.embeddedS3.start();
		}

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			HttpResponse<String> endpoint = get("/actuator/mutationhooks");
			assertThat((List<Object>) json(endpoint, "$.effects.byEffect")).isEmpty();
			assertThat(get("/avatars").body()).isEqualTo("[]");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void aSweepPostedWithoutAModeIsADryRunThatReportsTheBucketAndTakesNothing() {
		uploadAUsersAvatarAndAStrayOne();
		// An earlier test's delete effect may still be on its way.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((List<Object>) json(get("/actuator/mutationhooks"), "$.effects.byEffect")).isEmpty());

		HttpResponse<String> sweep = postJson("/actuator/mutationhooks/sweeps/avatars", "{}");

		assertThat(sweep.statusCode()).isEqualTo(200);
		assertThat((String) json(sweep, "$.summary"))
			.startsWith("Sweep of bucket avatars (avatars, dry-run) done in ")
			.endsWith(": scanned 2, referenced 1, young 0, orphans (not deleted: dry run) 1 (" + PNG.length
					+ " bytes), failed 0");
		assertThat((String) json(sweep, "$.report.mode")).isEqualTo("dry-run");
		assertThat((Integer) json(sweep, "$.report.scanned")).isEqualTo(2);
		assertThat((Integer) json(sweep, "$.report.referenced")).isEqualTo(1);
		assertThat((Integer) json(sweep, "$.report.orphans")).as("stray.png, past the grace period").isEqualTo(1);
		assertThat((Boolean) json(sweep, "$.report.complete")).isTrue();
		assertThat((List<Object>) json(get("/actuator/mutationhooks"), "$.effects.byEffect"))
			.as("no delete requested").isEmpty();
		assertThat(get("/avatars").body()).as("a dry run takes nothing")
			.isEqualTo("[\"a8m.png\",\"stray.png\"]");
		assertThat((String) json(get("/actuator/mutationhooks/sweeps/avatars"), "$.lastReports[0].runId"))
			.isEqualTo(json(sweep, "$.report.runId"));
	}

}
