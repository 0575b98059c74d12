package io.mutationhooks.sample;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.mutationhooks.sample.s3.EmbeddedS3Server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's story over HTTP, as in Ent's example: a user cannot be created while its avatar is missing from the
 * bucket, and the avatar leaves the bucket with the user.
 */
class AvatarStoryIntegrationTests extends AbstractSampleAppIntegrationTests {

	static final String A8M = """
			{ "name": "a8m", "avatarUrl": "a8m.png" }""";

	@Autowired
	EmbeddedS3Server embeddedS3;

	@Test
	void creatingAUserNeedsItsAvatarInTheBucketAndDeletingTheUserTakesTheAvatarAway() {
		HttpResponse<String> refused = postJson("/users", A8M);
		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(contentType(refused)).isEqualTo("application/problem+json");
		assertThat(detail(refused)).isEqualTo(
				"CREATE of User failed in hook 's3SyncHook': avatarUrl refers to s3://avatars/a8m.png, which does "
						+ "not exist");
		assertThat(json(refused, "$.key")).isEqualTo("a8m.png");
		assertThat(userCount()).isZero();

		assertThat(put("/avatars/a8m.png", PNG, "image/png").statusCode()).isEqualTo(201);
		assertThat(get("/avatars").body()).isEqualTo("[\"a8m.png\"]");

		HttpResponse<String> created = postJson("/users", A8M);
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(json(created, "$.name")).isEqualTo("a8m");
		assertThat(json(created, "$.avatarUrl")).isEqualTo("a8m.png");
		String location = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
		assertThat(get(location).body()).isEqualTo(created.body());

		assertThat(delete(location).statusCode()).isEqualTo(204);
		assertThat(get(location).statusCode()).isEqualTo(404);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(get("/avatars").body()).isEqualTo("[]"));
	}

	@Test
	void anAvatarStaysWhileAnotherUserStillRefersToIt() {
		put("/avatars/shared.png", PNG, "image/png");
		String first = URI.create(postJson("/users", """
				{ "name": "ann", "avatarUrl": "shared.png" }""").headers().firstValue("Location").orElseThrow())
			.getPath();
		assertThat(postJson("/users", """
				{ "name": "bob", "avatarUrl": "s3://avatars/shared.png" }""").statusCode()).isEqualTo(201);

		assertThat(delete(first).statusCode()).isEqualTo(204);

		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(get("/avatars").body()).isEqualTo("[\"shared.png\"]"));
	}

	@Test
	void creatingAUserWhileS3IsOutOfReachIs503AndWritesNothing() {
		put("/avatars/a8m.png", PNG, "image/png");
		this.embeddedS3.stop();
		try {
			HttpResponse<String> refused = postJson("/users", A8M);

			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(contentType(refused)).isEqualTo("application/problem+json");
			assertThat(detail(refused))
				.startsWith("CREATE of User failed in hook 's3SyncHook': could not check that s3://avatars/a8m.png "
						+ "(avatarUrl) exists");
		}
		finally {
			this.embeddedS3.start();
		}
		assertThat(userCount()).isZero();
	}

}
