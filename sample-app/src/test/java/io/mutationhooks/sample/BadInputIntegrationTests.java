package io.mutationhooks.sample;

import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the app refuses with a problem response that says what was wrong, before anything is written: no user
 * row, no object in the bucket.
 */
class BadInputIntegrationTests extends AbstractSampleAppIntegrationTests {

	@BeforeEach
	void putTheOnlyAvatar() {
		assertThat(put("/avatars/a8m.png", PNG, "image/png").statusCode()).isEqualTo(201);
	}

	void assertNothingWritten() {
		assertThat(userCount()).isZero();
		assertThat(get("/avatars").body()).isEqualTo("[\"a8m.png\"]");
	}

	static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(contentType(response)).isEqualTo("application/problem+json");
		assertThat(json(response, "$.status")).isEqualTo(status);
		assertThat(detail(response)).isEqualTo(detail);
	}

	@Nested
	class CreatingAUser {

		@Test
		void badJsonIs400() {
			assertProblem(postJson("/users", "{ \"name\": \"a8m\", "), 400,
					"The request body is missing or is not valid JSON.");
			assertNothingWritten();
		}

		@Test
		void aMissingBodyIs400() {
			assertProblem(postJson("/users", ""), 400, "The request body is missing or is not valid JSON.");
			assertNothingWritten();
		}

		@ParameterizedTest
		@CsvSource(delimiter = '|', textBlock = """
				{ "avatarUrl": "a8m.png" }                   | Invalid request: name must not be blank.
				{ "name": " ", "avatarUrl": "a8m.png" }      | Invalid request: name must not be blank.
				{ "name": "a8m" }                            | Invalid request: avatarUrl must not be blank.
				{ "name": "a8m", "avatarUrl": "" }           | Invalid request: avatarUrl must not be blank.
				""")
		void aMissingOrBlankFieldIs400(String body, String detail) {
			assertProblem(postJson("/users", body), 400, detail);
			assertNothingWritten();
		}

		@Test
		void aNameOver100CharactersIs400() {
			String name = "n".repeat(101);

			assertProblem(postJson("/users", "{ \"name\": \"" + name + "\", \"avatarUrl\": \"a8m.png\" }"), 400,
					"Invalid request: name must be at most 100 characters.");
			assertNothingWritten();
		}

		@Test
		void aNameOf100CharactersIsFine() {
			String name = "n".repeat(100);

			assertThat(postJson("/users", "{ \"name\": \"" + name + "\", \"avatarUrl\": \"a8m.png\" }").statusCode())
				.isEqualTo(201);
		}

		@ParameterizedTest
		@CsvSource(delimiter = '|', textBlock = """
				../x.png          | it has a '..' segment
				./a8m.png         | it has a '.' segment
				s3://other/x.png  | it names bucket 'other', not 'avatars'
				""")
		void anInvalidAvatarUrlIs400(String avatarUrl, String problem) {
			HttpResponse<String> response = postJson("/users",
					"{ \"name\": \"a8m\", \"avatarUrl\": \"" + avatarUrl + "\" }");

			assertProblem(response, 400, "CREATE of User failed in hook 's3SyncHook': avatarUrl '" + avatarUrl
					+ "' is not a valid reference to bucket 'avatars': " + problem);
			assertThat(json(response, "$.field")).isEqualTo("avatarUrl");
			assertNothingWritten();
		}

		@Test
		void anAvatarUrlOver1024CharactersIs400() {
			String avatarUrl = "k".repeat(1025);

			assertProblem(postJson("/users", "{ \"name\": \"a8m\", \"avatarUrl\": \"" + avatarUrl + "\" }"), 400,
					"Invalid request: avatarUrl must be at most 1024 characters.");
			assertNothingWritten();
		}

	}

	@Nested
	class UploadingAnAvatar {

		@ParameterizedTest
		@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
				/avatars/a%07b.png       | 'a?b.png' | it has a control character (U+0007) at 1
				/avatars/%2E%2E          | '..'      | it has a '..' segment
				/avatars/x/%2E%2E/y.png  | 'x/../y.png' | it has a '..' segment
				/avatars/                | ''        | it is empty
				""")
		void anInvalidKeyIs400(String path, String key, String problem) {
			assertProblem(put(path, PNG, "image/png"), 400, key + " is not a valid avatar key: " + problem + ".");
			assertNothingWritten();
		}

		@Test
		void aKeyOver1024BytesIs400() {
			String key = "é".repeat(513);

			HttpResponse<String> response = put("/avatars/" + URLEncoder.encode(key, StandardCharsets.UTF_8), PNG,
					"image/png");

			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(detail(response)).endsWith("the key is 1026 bytes of UTF-8, more than 1024.");
			assertNothingWritten();
		}

		@ParameterizedTest
		@ValueSource(strings = { "text/html", "application/x-www-form-urlencoded", "application/octet-stream" })
		void anythingButAnImageIs415(String contentType) {
			assertProblem(put("/avatars/page.html", PNG, contentType), 415,
					"Content-Type '" + contentType + "' is not accepted here; send one of [image/*].");
			assertNothingWritten();
		}

		@Test
		void anEmptyUploadIs400() {
			assertProblem(put("/avatars/empty.png", BodyPublishers.noBody(), "image/png"), 400,
					"The upload of 'empty.png' is empty: send the image bytes as the request body.");
			assertNothingWritten();
		}

	}

}
