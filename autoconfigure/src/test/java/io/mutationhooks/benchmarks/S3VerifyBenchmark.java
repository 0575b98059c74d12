package io.mutationhooks.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
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
 * {@code saveAll} of 1000 members whose avatars are checked with HeadObject against the in-process S3Proxy server,
 * one by one ({@code parallelism = 1}) or 16 at a time; on raw loopback, and with 10 ms added to each HeadObject
 * answer as S3's own latency would. Run with
 * {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@jmh -Djmh.args=S3VerifyBenchmark}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class S3VerifyBenchmark {

	static final int MEMBERS = 1000;

	/** An application with the S3 sync on, talking to S3Proxy, with the given check parallelism. */
	@State(Scope.Benchmark)
	public static class App {

		@Param({ "1", "16" })
		public int parallelism;

		/** Milliseconds S3Proxy adds to each HeadObject answer. */
		@Param({ "0", "10" })
		public long headObjectLatency;

		S3ProxyServer server;

		ConfigurableApplicationContext context;

		MemberRepository members;

		S3Client s3;

		S3RequestCounter requests;

		JdbcTemplate jdbc;

		List<Member> batch;

		@Setup(Level.Trial)
		public void start() {
			this.server = S3ProxyServer.withHeadObjectLatency(this.headObjectLatency);
			S3ProxyServer server = this.server;
			this.context = SpringApplication.run(BenchmarkApplication.class, "--spring.main.web-application-type=none",
					"--logging.level.root=WARN", "--mutation-hooks.s3.verify.parallelism=" + this.parallelism,
					"--spring.cloud.aws.s3.endpoint=" + server.endpoint(),
					"--spring.cloud.aws.s3.path-style-access-enabled=true",
					"--spring.cloud.aws.credentials.access-key=" + S3ProxyServer.ACCESS_KEY,
					"--spring.cloud.aws.credentials.secret-key=" + S3ProxyServer.SECRET_KEY);
			this.members = this.context.getBean(MemberRepository.class);
			this.s3 = this.context.getBean(S3Client.class);
			this.requests = this.context.getBean(S3RequestCounter.class);
			this.jdbc = this.context.getBean(JdbcTemplate.class);
			try {
				this.s3.createBucket(request -> request.bucket("avatars"));
			}
			catch (RuntimeException alreadyThere) {
				// created by an earlier trial in this JVM
			}
		}

		@Setup(Level.Iteration)
		public void prepare() {
			this.jdbc.update("DELETE FROM member");
			this.batch = new ArrayList<>(MEMBERS);
			String run = UUID.randomUUID().toString();
			for (int i = 0; i < MEMBERS; i++) {
				String key = run + "/" + i + ".png";
				this.s3.putObject(request -> request.bucket("avatars").key(key),
						RequestBody.fromString(key, StandardCharsets.UTF_8));
				this.batch.add(new Member("member " + i, key));
			}
			this.requests.reset();
		}

		@TearDown(Level.Iteration)
		public void report() {
			System.out.printf("%n  [parallelism %d, latency %d ms: %d HeadObject requests, at most %d at once]%n",
					this.parallelism, this.headObjectLatency, this.requests.count("HeadObject"),
					this.requests.maxInFlight());
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
			this.server.stop();
		}

	}

	/** saveAll of 1000 members, each avatar checked with HeadObject. */
	@Benchmark
	public List<Member> saveAllWithChecks(App app) {
		return app.members.saveAll(app.batch);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = Member.class)
	@Import(CountingS3ClientConfiguration.class)
	static class BenchmarkApplication {

	}

}
