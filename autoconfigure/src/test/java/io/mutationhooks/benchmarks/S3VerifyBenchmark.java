package io.mutationhooks.benchmarks;

import java.util.List;
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

import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.testapp.Member;

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

	/** The application, with the given check parallelism, against a server with the given latency. */
	@State(Scope.Benchmark)
	public static class App {

		@Param({ "1", "16" })
		public int parallelism;

		/** Milliseconds S3Proxy adds to each HeadObject answer. */
		@Param({ "0", "10" })
		public long headObjectLatency;

		S3ProxyServer server;

		S3BenchmarkApplication app;

		List<Member> batch;

		@Setup(Level.Trial)
		public void start() {
			this.server = S3ProxyServer.withHeadObjectLatency(this.headObjectLatency);
			this.app = new S3BenchmarkApplication(this.server, this.parallelism);
		}

		@Setup(Level.Iteration)
		public void prepare() {
			this.batch = this.app.membersWithNewAvatars(1000);
		}

		@TearDown(Level.Iteration)
		public void report() {
			System.out.printf("%n  [parallelism %d, latency %d ms: %d HeadObject requests, at most %d at once]%n",
					this.parallelism, this.headObjectLatency, this.app.requests.count("HeadObject"),
					this.app.requests.maxInFlight());
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.app.close();
			this.server.stop();
		}

	}

	/** saveAll of 1000 members, each avatar checked with HeadObject. */
	@Benchmark
	public List<Member> saveAllWithChecks(App app) {
		return app.app.members.saveAll(app.batch);
	}

}
