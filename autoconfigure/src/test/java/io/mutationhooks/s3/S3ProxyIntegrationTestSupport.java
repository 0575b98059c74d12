package io.mutationhooks.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mutationhooks.core.DeferredTransactionHooks;
import io.mutationhooks.testapp.TestApplication;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.awaitility.Awaitility.await;

/**
 * What the S3 sync tests against the in-process S3Proxy share: one Spring context, an empty "avatars" bucket and
 * an empty member table before each test, and helpers to put objects and wait for the cleanup queue.
 */
@SpringBootTest(classes = { TestApplication.class, CountingS3ClientConfiguration.class })
abstract class S3ProxyIntegrationTestSupport {

	static final String AVATARS = "avatars";

	@Autowired
	S3Client s3;

	@Autowired
	S3RequestCounter requests;

	@Autowired
	S3CleanupQueue cleanup;

	@Autowired
	S3References references;

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void s3Proxy(DynamicPropertyRegistry registry) {
		S3ProxySyncIntegrationTests.s3Proxy(registry);
	}

	@BeforeEach
	void emptyMembersAndAvatars() {
		this.jdbc.update("DELETE FROM member");
		try {
			this.s3.createBucket(request -> request.bucket(AVATARS));
		}
		catch (BucketAlreadyOwnedByYouException ex) {
			// there from an earlier test
		}
		flushCleanup();
		this.s3.listObjectsV2Paginator(request -> request.bucket(AVATARS))
			.contents()
			.forEach(object -> this.s3.deleteObject(request -> request.bucket(AVATARS).key(object.key())));
		this.requests.reset();
	}

	/** Inserts a member with plain JDBC, past the validation a save goes through. */
	void insertMember(String name, String avatarUrl) {
		this.jdbc.update("INSERT INTO member (name, avatar_url) VALUES (?, ?)", name, avatarUrl);
	}

	Long memberId(String name) {
		return this.jdbc.queryForObject("SELECT id FROM member WHERE name = ?", Long.class, name);
	}

	void putAvatar(String key) {
		this.s3.putObject(request -> request.bucket(AVATARS).key(key),
				RequestBody.fromString("image of " + key, StandardCharsets.UTF_8));
	}

	boolean avatarExists(String key) {
		try {
			this.s3.headObject(request -> request.bucket(AVATARS).key(key));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

	void awaitAvatarGone(String key) {
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !avatarExists(key));
	}

	/**
	 * Waits until the cleanup queue has handled everything handed to it so far: it works in order, so once a
	 * sentinel object queued now is gone, so is all work queued before it.
	 */
	void flushCleanup() {
		String sentinel = "sentinel-" + UUID.randomUUID();
		putAvatar(sentinel);
		DeferredTransactionHooks committed = new DeferredTransactionHooks();
		this.cleanup.enqueue(this.references.buckets().get(AVATARS), List.of(sentinel), committed);
		committed.succeeded();
		awaitAvatarGone(sentinel);
	}

}
