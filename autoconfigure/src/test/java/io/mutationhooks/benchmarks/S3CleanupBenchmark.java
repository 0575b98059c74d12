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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.testapp.Member;

/**
 * Deleting 1000 members with avatars against the in-process S3Proxy server: the starter's bulk delete with its
 * batched cleanup after commit (timed until its durable effects are done), against one DeleteObject per member as Ent's
 * recipe does. Run with
 * {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@jmh -Djmh.args=S3CleanupBenchmark}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class S3CleanupBenchmark {

	/** The application and, for each iteration, 1000 saved members with avatars. */
	@State(Scope.Benchmark)
	public static class Deletes {

		S3BenchmarkApplication app;

		List<Member> saved;

		@Setup(Level.Trial)
		public void start() {
			this.app = new S3BenchmarkApplication(S3ProxyServer.shared(), 16);
		}

		@Setup(Level.Iteration)
		public void save() {
			this.saved = this.app.members.saveAll(this.app.membersWithNewAvatars(1000));
			this.app.requests.reset();
		}

		@TearDown(Level.Iteration)
		public void report() {
			System.out.printf("%n  [%d DeleteObjects requests, %d DeleteObject requests]%n",
					this.app.requests.count("DeleteObjects"), this.app.requests.count("DeleteObject"));
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.app.close();
		}

		/** The cleanup's deletes are durable effects: done once no effect is left to run. */
		void awaitCleanup() {
			this.app.awaitEffects();
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
		for (Member member : deletes.saved) {
			deletes.app.s3.deleteObject(request -> request.bucket(S3BenchmarkApplication.BUCKET).key(member.getAvatarUrl()));
		}
		deletes.app.jdbc.update("DELETE FROM member");
	}

}
