package io.mutationhooks.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's story on the code Spring AOT generated for it at build time ({@code spring-boot:process-aot}), started
 * with {@code -Dspring.aot.enabled=true} in a JVM of its own: the starter's hooks, its S3 check and the durable
 * avatar cleanup work without the bean definition processing AOT moves to the build. Runs with {@code -Paot} only
 * (the profile processes the sample first); a native image is not built here.
 */
@Tag("aot")
class AheadOfTimeSampleIntegrationTests {

	private final Path runDirectory = Path.of("target", "aot-sample", UUID.randomUUID().toString());

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private SampleAppProcess app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void theAheadOfTimeProcessedSampleRefusesAUserWithoutItsAvatarAndDeletesTheAvatarWithTheUser() throws Exception {
		this.app = SampleAppProcess.startAndAwaitReady(this.runDirectory.resolve("sample.log"), Map.of(
				"spring.datasource.url", "jdbc:h2:file:" + this.runDirectory.toAbsolutePath().resolve("db")
						+ ";CASE_INSENSITIVE_IDENTIFIERS=TRUE",
				"sample.embedded-s3.port", "0", "sample.embedded-s3.data-dir",
				this.runDirectory.toAbsolutePath().resolve("s3").toString()), List.of("-Dspring.aot.enabled=true"));
		assertThat(this.app.output()).as("the start, on the generated code").contains("Starting AOT-processed");

		String a8m = """
				{ "name": "a8m", "avatarUrl": "a8m.png" }""";
		HttpResponse<String> refused = send(json("/users", a8m));
		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).contains("s3://avatars/a8m.png, which does not exist");

		assertThat(send(HttpRequest.newBuilder(this.app.uri("/avatars/a8m.png"))
			.header("Content-Type", "image/png")
			.PUT(BodyPublishers.ofByteArray(AbstractSampleAppIntegrationTests.PNG))).statusCode()).isEqualTo(201);
		HttpResponse<String> created = send(json("/users", a8m));
		assertThat(created.statusCode()).isEqualTo(201);
		String location = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();

		assertThat(send(HttpRequest.newBuilder(this.app.uri(location)).DELETE()).statusCode()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(this.app.uri("/avatars")).GET()).body())
				.isEqualTo("[]"));
	}

	private HttpRequest.Builder json(String path, String body) {
		return HttpRequest.newBuilder(this.app.uri(path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
	}

}
