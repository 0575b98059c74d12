package io.mutationhooks.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The avatars API: uploads keep their bytes and content type, replace what was there, and are listed by key. */
class AvatarApiIntegrationTests extends AbstractSampleAppIntegrationTests {

	@Test
	void anUploadedAvatarIsServedWithItsBytesAndContentType() {
		HttpResponse<String> upload = put("/avatars/a8m.png", PNG, "image/png");
		assertThat(upload.statusCode()).isEqualTo(201);
		assertThat(upload.headers().firstValue("Location")).hasValue(uri("/avatars/a8m.png").toString());

		HttpResponse<byte[]> avatar = getBytes("/avatars/a8m.png");

		assertThat(avatar.statusCode()).isEqualTo(200);
		assertThat(contentType(avatar)).isEqualTo("image/png");
		assertThat(avatar.body()).isEqualTo(PNG);
	}

	@Test
	void uploadingToATakenKeyReplacesTheAvatar() {
		put("/avatars/a8m.png", PNG, "image/png");
		byte[] replacement = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8);

		assertThat(put("/avatars/a8m.png", replacement, "image/svg+xml").statusCode()).isEqualTo(200);

		HttpResponse<byte[]> avatar = getBytes("/avatars/a8m.png");
		assertThat(contentType(avatar)).isEqualTo("image/svg+xml");
		assertThat(avatar.body()).isEqualTo(replacement);
		assertThat(get("/avatars").body()).isEqualTo("[\"a8m.png\"]");
	}

	@Test
	void anAvatarIsNeverServedAsAPageOfTheApp() {
		put("/avatars/a8m.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8),
				"image/svg+xml");

		HttpResponse<byte[]> avatar = getBytes("/avatars/a8m.svg");

		assertThat(avatar.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
		assertThat(avatar.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
	}

	@Test
	void keysMayHaveSeveralSegments() {
		assertThat(put("/avatars/users/a8m.png", PNG, "image/png").statusCode()).isEqualTo(201);
		assertThat(postJson("/users", """
				{ "name": "a8m", "avatarUrl": "users/a8m.png" }""").statusCode()).isEqualTo(201);

		assertThat(get("/avatars").body()).isEqualTo("[\"users/a8m.png\"]");
		assertThat(getBytes("/avatars/users/a8m.png").body()).isEqualTo(PNG);
	}

	@Test
	void anAvatarThatIsNotThereIs404() {
		HttpResponse<String> response = get("/avatars/nobody.png");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(contentType(response)).isEqualTo("application/problem+json");
		assertThat(detail(response)).isEqualTo("There is no avatar 'nobody.png' in bucket 'avatars'.");
	}

}
