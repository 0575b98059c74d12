package io.mutationhooks.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.s3.CountingS3ClientConfiguration;
import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.s3.S3RequestCounter;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

/**
 * The application the S3 benchmarks run: the S3 sync on, H2 in memory, Spring Cloud AWS's client pointed at an
 * S3Proxy server and counting its requests, members whose avatars live in the "avatars" bucket.
 */
final class S3BenchmarkApplication implements AutoCloseable {

	static final String BUCKET = "avatars";

	final ConfigurableApplicationContext context;

	final MemberRepository members;

	final S3Client s3;

	final S3RequestCounter requests;

	final JdbcTemplate jdbc;

	S3BenchmarkApplication(S3ProxyServer server, int parallelism, String... moreArguments) {
		List<String> arguments = new ArrayList<>(List.of("--spring.main.web-application-type=none",
				"--logging.level.root=WARN", "--mutation-hooks.s3.verify.parallelism=" + parallelism,
				"--spring.cloud.aws.s3.endpoint=" + server.endpoint(),
				"--spring.cloud.aws.s3.path-style-access-enabled=true",
				"--spring.cloud.aws.credentials.access-key=" + S3ProxyServer.ACCESS_KEY,
				"--spring.cloud.aws.credentials.secret-key=" + S3ProxyServer.SECRET_KEY));
		arguments.addAll(List.of(moreArguments));
		this.context = SpringApplication.run(Application.class, arguments.toArray(String[]::new));
		this.members = this.context.getBean(MemberRepository.class);
		this.s3 = this.context.getBean(S3Client.class);
		this.requests = this.context.getBean(S3RequestCounter.class);
		this.jdbc = this.context.getBean(JdbcTemplate.class);
		try {
			this.s3.createBucket(request -> request.bucket(BUCKET));
		}
		catch (RuntimeException alreadyThere) {
			// created by an earlier trial in this JVM
		}
	}

	/**
	 * Empties the member table and uploads {@code count} new avatars.
	 * @return unsaved members referring to them, one each
	 */
	List<Member> membersWithNewAvatars(int count) {
		this.jdbc.update("DELETE FROM member");
		List<Member> batch = new ArrayList<>(count);
		String run = UUID.randomUUID().toString();
		for (int i = 0; i < count; i++) {
			String key = run + "/" + i + ".png";
			this.s3.putObject(request -> request.bucket(BUCKET).key(key),
					RequestBody.fromString(key, StandardCharsets.UTF_8));
			batch.add(new Member("member " + i, key));
		}
		this.requests.reset();
		return batch;
	}

	/** Uploads {@code count} new objects. @return their keys */
	List<String> newObjects(int count) {
		String run = UUID.randomUUID().toString();
		List<String> keys = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String key = run + "/" + i + ".png";
			this.s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromString(key, StandardCharsets.UTF_8));
			keys.add(key);
		}
		return keys;
	}

	/** Effects not yet done (parked ones aside). */
	long unfinishedEffects() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'"
				+ " AND execution_time < TIMESTAMP '9000-01-01 00:00:00'", Long.class);
	}

	/** Waits, polling every millisecond, until every effect has run. */
	void awaitEffects() {
		while (unfinishedEffects() > 0) {
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = Member.class)
	@Import(CountingS3ClientConfiguration.class)
	static class Application {

	}

}
