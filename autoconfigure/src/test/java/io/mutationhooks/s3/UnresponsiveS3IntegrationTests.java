package io.mutationhooks.s3;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.core.DeferredTransactionHooks;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Against an S3 endpoint that accepts connections and never answers, every S3 call of the sync ends within its
 * configured timeouts: a create is refused as "could not check", and a cleanup is retried later.
 */
@SpringBootTest(classes = TestApplication.class,
		properties = { "mutation-hooks.s3.verify.attempt-timeout=200ms", "mutation-hooks.s3.verify.call-timeout=500ms",
				"mutation-hooks.s3.cleanup.attempt-timeout=200ms", "mutation-hooks.s3.cleanup.call-timeout=500ms" })
@ExtendWith(OutputCaptureExtension.class)
@Timeout(90) // a safety net only: without timeouts, one check took 4 attempts of 30 seconds
class UnresponsiveS3IntegrationTests {

	private static final SilentS3Server server = SilentS3Server.start();

	@DynamicPropertySource
	static void silentS3(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.s3.endpoint", () -> "http://127.0.0.1:" + server.port());
		registry.add("spring.cloud.aws.s3.path-style-access-enabled", () -> "true");
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Autowired
	MemberRepository members;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	S3CleanupQueue cleanup;

	@Autowired
	S3References references;

	@Test
	void aCreateIsRefusedAsCouldNotCheckWhenS3NeverAnswers() {
		assertThatExceptionOfType(S3CheckFailedException.class)
			.isThrownBy(() -> this.members.save(new Member("never answered", "a8m.png")))
			.satisfies(ex -> assertThat(ex.getCause()).isInstanceOfAny(ApiCallTimeoutException.class,
					ApiCallAttemptTimeoutException.class));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM member WHERE name = 'never answered'", Long.class))
			.isZero();
	}

	@Test
	void aCleanupS3NeverAnswersTimesOutAndIsRetried(CapturedOutput output) {
		EffectRows.clear(this.jdbc);
		this.cleanup.enqueue(this.references.buckets().get("avatars"), List.of("never-answered.png"),
				new DeferredTransactionHooks());

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).containsPattern("failed \\(attempt 1 of \\d+\\), retrying in "
					+ "\\S+: .*Could not delete s3://avatars/never-answered.png: "
					+ "\\S*(ApiCallTimeoutException|ApiCallAttemptTimeoutException)"));
		assertThat(EffectRows.unsettled(this.jdbc)).as("still waiting for its retry").isEqualTo(1);
		EffectRows.clear(this.jdbc);
	}

}
