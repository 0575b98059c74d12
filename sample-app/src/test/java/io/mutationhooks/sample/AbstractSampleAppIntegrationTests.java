package io.mutationhooks.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.sample.avatars.AvatarBucket;

/**
 * Runs the whole sample on a random port, with its embedded S3 server on a free port storing into a new folder under
 * {@code target/}, and an in-memory H2. Every test starts with no users and an empty bucket, and talks to the app
 * over HTTP like any client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"sample.embedded-s3.port=0",
		"spring.datasource.url=jdbc:h2:mem:sample;DB_CLOSE_DELAY=-1;CASE_INSENSITIVE_IDENTIFIERS=TRUE" })
public abstract class AbstractSampleAppIntegrationTests {

	/** A 1x1 PNG image. */
	protected static final byte[] PNG = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

	private static final Path EMBEDDED_S3_DATA_DIR = createTemporaryDirectory();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	protected int port;

	@Autowired
	protected JdbcTemplate jdbc;

	@Autowired
	protected S3Client s3;

	@Autowired
	protected AvatarBucket bucket;

	@DynamicPropertySource
	static void embeddedS3DataDir(DynamicPropertyRegistry registry) {
		registry.add("sample.embedded-s3.data-dir", EMBEDDED_S3_DATA_DIR::toString);
	}

	@BeforeEach
	void startWithNoUsersAndAnEmptyBucket() {
		// Plain SQL runs no hooks, so no cleanup is queued that could later delete an object of the next test.
		this.jdbc.update("DELETE FROM users");
		this.bucket.keys().forEach(key -> this.s3.deleteObject(request -> request.bucket(this.bucket.name()).key(key)));
	}

	protected URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	protected HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	protected HttpResponse<byte[]> getBytes(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET(), BodyHandlers.ofByteArray());
	}

	protected HttpResponse<String> postJson(String path, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json)));
	}

	protected HttpResponse<String> put(String path, byte[] body, String contentType) {
		return put(path, BodyPublishers.ofByteArray(body), contentType);
	}

	protected HttpResponse<String> put(String path, BodyPublisher body, String contentType) {
		return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType).PUT(body));
	}

	protected HttpResponse<String> delete(String path) {
		return send(HttpRequest.newBuilder(uri(path)).DELETE());
	}

	/** Creates a user through the API, which must accept it, and returns its path, such as {@code /users/1}. */
	protected String createUser(String name, String avatarUrl) {
		HttpResponse<String> created = postJson("/users",
				"{ \"name\": \"" + name + "\", \"avatarUrl\": \"" + avatarUrl + "\" }");
		if (created.statusCode() != 201) {
			throw new IllegalStateException("POST /users refused " + name + ": " + created.body());
		}
		return URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
	}

	/**
	 * The bucket a sweep finds: a8m.png, the avatar of user a8m, and stray.png, which no user refers to, last modified
	 * two hours ago: past the hour of grace, an orphan.
	 */
	protected void uploadAUsersAvatarAndAStrayOne() {
		put("/avatars/a8m.png", PNG, "image/png");
		put("/avatars/stray.png", PNG, "image/png");
		createUser("a8m", "a8m.png");
		// The embedded server's filesystem store answers an object's LastModified from its file's.
		try {
			Files.setLastModifiedTime(EMBEDDED_S3_DATA_DIR.resolve("avatars").resolve("stray.png"),
					FileTime.from(Instant.now().minus(Duration.ofHours(2))));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	protected long userCount() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM users", Long.class);
	}

	protected static String contentType(HttpResponse<?> response) {
		return response.headers().firstValue("Content-Type").orElse("");
	}

	/** A value of a JSON response body, such as {@code json(response, "$.detail")}. */
	protected static Object json(HttpResponse<String> response, String path) {
		return JsonPath.read(response.body(), path);
	}

	/** The {@code detail} of a problem response. */
	protected static String detail(HttpResponse<String> response) {
		return JsonPath.read(response.body(), "$.detail");
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		return send(request, BodyHandlers.ofString());
	}

	private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
		try {
			return this.http.send(request.build(), body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path createTemporaryDirectory() {
		try {
			return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "embedded-s3-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
