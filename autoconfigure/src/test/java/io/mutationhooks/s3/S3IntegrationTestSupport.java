package io.mutationhooks.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.TestApplication;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.awaitility.Awaitility.await;

/**
 * What the S3 sync tests against a real S3 server share: the test application with a counting S3 client, and
 * helpers to empty buckets, put and find objects, and wait for the cleanup queue. Subclasses say which server.
 */
@SpringBootTest(classes = { TestApplication.class, CountingS3ClientConfiguration.class })
abstract class S3IntegrationTestSupport {

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

	/** Creates each bucket if needed and empties it, once the cleanup queue has caught up. */
	void emptyBuckets(String... buckets) {
		for (String bucket : buckets) {
			try {
				this.s3.createBucket(request -> request.bucket(bucket));
			}
			catch (BucketAlreadyOwnedByYouException ex) {
				// there from an earlier test
			}
		}
		flushCleanup();
		EffectRows.clear(this.jdbc);
		for (String bucket : buckets) {
			keys(bucket).forEach(key -> this.s3.deleteObject(request -> request.bucket(bucket).key(key)));
		}
	}

	/** Inserts a member with plain JDBC, past the checks a save goes through. */
	void insertMember(String name, String avatarUrl) {
		this.jdbc.update("INSERT INTO member (name, avatar_url) VALUES (?, ?)", name, avatarUrl);
	}

	Long memberId(String name) {
		return this.jdbc.queryForObject("SELECT id FROM member WHERE name = ?", Long.class, name);
	}

	void put(String bucket, String key) {
		this.s3.putObject(request -> request.bucket(bucket).key(key),
				RequestBody.fromString("image of " + key, StandardCharsets.UTF_8));
	}

	boolean exists(String bucket, String key) {
		try {
			this.s3.headObject(request -> request.bucket(bucket).key(key));
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

	List<String> keys(String bucket) {
		// URL-encoded, so that a key with a control character does not make the answer unparsable (the SDK decodes it).
		return this.s3.listObjectsV2Paginator(request -> request.bucket(bucket).encodingType(EncodingType.URL))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	void awaitGone(String bucket, String key) {
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !exists(bucket, key));
	}

	/** Waits until every durable effect (the cleanup's deletes among them) has run or is parked. */
	void flushCleanup() {
		EffectRows.awaitSettled(this.jdbc);
	}

}
