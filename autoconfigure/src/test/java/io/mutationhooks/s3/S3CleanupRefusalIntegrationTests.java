package io.mutationhooks.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.mutationhooks.core.DeferredTransactionHooks;
import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectStatus;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the cleanup does when S3 refuses a DeleteObjects request for good because of one key in it: only that key is
 * given up, at once and with an error naming it, and every other key of the request is still deleted.
 */
@SpringBootTest(classes = TestApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class S3CleanupRefusalIntegrationTests {

	private static final String BUCKET = "avatars";

	@DynamicPropertySource
	static void s3Proxy(DynamicPropertyRegistry registry) {
		S3ProxyServer.shared().registerEndpoint(registry);
	}

	@Autowired
	S3Client s3;

	@Autowired
	S3CleanupQueue cleanup;

	@Autowired
	EffectBacklog backlog;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	S3References references;

	@Test
	void aKeyThatCannotBeCarriedInXmlIsParkedAndTheOtherKeysOfItsRequestAreDeleted(CapturedOutput output) {
		createBucket();
		EffectRows.clear(this.jdbc);
		String prefix = "refusal-" + UUID.randomUUID() + "/";
		List<String> valid = IntStream.range(0, 50).mapToObj(i -> prefix + "valid-" + i + ".png").toList();
		valid.forEach(key -> this.s3.putObject(request -> request.bucket(BUCKET).key(key),
				RequestBody.fromString("image of " + key, StandardCharsets.UTF_8)));
		String poisoned = prefix + "poisoned-\u0001.png";
		List<String> keys = new ArrayList<>(valid);
		keys.add(25, poisoned);

		this.cleanup.enqueue(this.references.buckets().get(BUCKET), keys, new DeferredTransactionHooks());

		String escapedPoisoned = prefix + "poisoned-\\u0001.png";
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).contains("ERROR").contains(escapedPoisoned));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(keys(prefix)).isEmpty());
		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.backlog.list(EffectStatus.PARKED, 10)).as("parked at once, not retried")
			.singleElement()
			.satisfies(parked -> {
				assertThat(parked.attempts()).isEqualTo(1);
				assertThat(parked.payloads()).singleElement().asString().contains("poisoned-\\u0001.png");
				assertThat(parked.lastError()).contains("Status Code: 400", "poisoned-\\u0001");
			});
		assertThat(output.getOut()).doesNotContain("poisoned-\u0001");
		EffectRows.clear(this.jdbc);
	}

	private void createBucket() {
		try {
			this.s3.createBucket(request -> request.bucket(BUCKET));
		}
		catch (BucketAlreadyOwnedByYouException ex) {
			// there from an earlier test
		}
	}

	private List<String> keys(String prefix) {
		return this.s3.listObjectsV2Paginator(request -> request.bucket(BUCKET).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

}
