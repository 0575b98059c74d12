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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import io.mutationhooks.core.DeferredTransactionHooks;
import io.mutationhooks.s3.CountingS3ClientConfiguration;
import io.mutationhooks.s3.S3CleanupQueue;
import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.S3RequestCounter;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

/**
 * Deleting 1000 members with avatars against the in-process S3Proxy server: the starter's bulk delete with its
 * batched cleanup after commit (timed until the objects are gone), against one DeleteObject per member as Ent's
 * recipe does. Run with
 * {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@jmh -Djmh.args=S3CleanupBenchmark}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class S3CleanupBenchmark {

	static final int MEMBERS = 1000;

	/** An application with the S3 sync on, talking to S3Proxy. */
	@State(Scope.Benchmark)
	public static class App {

		public int parallelism = 16;

		ConfigurableApplicationContext context;

		MemberRepository members;

		S3Client s3;

		S3RequestCounter requests;

		JdbcTemplate jdbc;

		List<Member> batch;

		@Setup(Level.Trial)
		public void start() {
			S3ProxyServer server = S3ProxyServer.shared();
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
			System.out.printf("%n  [%d DeleteObjects requests (one of them the sentinel's), %d DeleteObject requests]%n",
					this.requests.count("DeleteObjects"), this.requests.count("DeleteObject"));
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

	/** Deleting 1000 saved members with the starter: one bulk DELETE, then DeleteObjects after commit. */
	@Benchmark
	public void deleteAllWithBatchedCleanup(Deletes deletes) {
		deletes.app.members.deleteAll();
		deletes.awaitCleanup();
	}

	/** The same without the starter's cleanup: one DeleteObject per member, as Ent's recipe does, then the rows. */
	@Benchmark
	public void deleteAllWithOneDeleteObjectPerMember(Deletes deletes) {
		for (Member member : deletes.app.batch) {
			deletes.app.s3.deleteObject(request -> request.bucket("avatars").key(member.getAvatarUrl()));
		}
		deletes.app.jdbc.update("DELETE FROM member");
	}

	/** The members of an iteration, saved before it is measured. */
	@State(Scope.Benchmark)
	public static class Deletes {

		App app;

		@Setup(Level.Iteration)
		public void save(App app) {
			this.app = app;
			app.members.saveAll(app.batch);
			app.requests.reset();
		}

		/** The cleanup queue works in order: once a sentinel queued now is gone, so is everything before it. */
		void awaitCleanup() {
			String sentinel = "sentinel-" + UUID.randomUUID();
			this.app.s3.putObject(request -> request.bucket("avatars").key(sentinel), RequestBody.fromString("s"));
			S3References references = this.app.context.getBean(S3References.class);
			DeferredTransactionHooks committed = new DeferredTransactionHooks();
			this.app.context.getBean(S3CleanupQueue.class)
				.enqueue(references.buckets().get("avatars"), List.of(sentinel), committed);
			committed.succeeded();
			while (true) {
				try {
					this.app.s3.headObject(request -> request.bucket("avatars").key(sentinel));
					Thread.onSpinWait();
				}
				catch (NoSuchKeyException gone) {
					return;
				}
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = Member.class)
	@Import(CountingS3ClientConfiguration.class)
	static class BenchmarkApplication {

	}

}
