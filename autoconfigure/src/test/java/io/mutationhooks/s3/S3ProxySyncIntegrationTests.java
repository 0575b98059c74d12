package io.mutationhooks.s3;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mutationhooks.testapp.Member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The S3 sync against the in-process S3Proxy server, plus what only a server we can stop shows: an outage is
 * "could not check", not "missing", and a cleanup that fails is logged and retried until it succeeds.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3ProxySyncIntegrationTests extends S3SyncContractTests {

	@DynamicPropertySource
	static void s3Proxy(DynamicPropertyRegistry registry) {
		S3ProxyServer server = S3ProxyServer.shared();
		registry.add("spring.cloud.aws.s3.endpoint", () -> server.endpoint().toString());
		registry.add("spring.cloud.aws.s3.path-style-access-enabled", () -> "true");
		registry.add("spring.cloud.aws.region.static", () -> "us-east-1");
		registry.add("spring.cloud.aws.credentials.access-key", () -> S3ProxyServer.ACCESS_KEY);
		registry.add("spring.cloud.aws.credentials.secret-key", () -> S3ProxyServer.SECRET_KEY);
	}

	@AfterEach
	void restartS3() {
		S3ProxyServer.shared().start();
		// Pooled connections to the stopped server fail once each; use them up before the next test.
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> this.s3.listBuckets() != null);
	}

	@Test
	void anS3OutageRefusesTheWriteAsCouldNotCheckNotAsMissing() {
		S3ProxyServer.shared().stop();

		assertThatExceptionOfType(S3CheckFailedException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", "a8m.png")))
			.withMessageStartingWith("CREATE of Member failed in hook 's3SyncHook': could not check that "
					+ "s3://avatars/a8m.png (avatarUrl) exists")
			.satisfies(ex -> assertThat(ex).isNotInstanceOf(S3ObjectMissingException.class));
		assertThat(this.members.count()).isZero();
	}

	@Test
	void aFailedCleanupIsLoggedWithBucketAndKeyAndRetriedUntilItSucceeds(CapturedOutput output) {
		put(AVATARS, "a8m.png");
		Member member = this.members.save(new Member("a8m", "a8m.png"));
		S3ProxyServer.shared().stop();

		this.members.delete(member);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output).containsPattern(
					"failed \\(attempt 1 of \\d+\\), retrying in \\S+: .*Could not delete s3://avatars/a8m.png"));
		restartS3();
		awaitGone(AVATARS, "a8m.png");
	}

}
