package io.mutationhooks.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.testapp.Member;

/**
 * {@code saveAll} of 1000 members whose avatars exist, with the S3 binding, against the same existence checks done
 * by hand before a plain {@code saveAll} with the starter switched off: one HeadObject after another, and 16 at a
 * time on a thread pool (the starter's default parallelism). Paired in one JVM ({@link PairedRounds}), against the
 * in-process S3Proxy server, on raw loopback and with 10 ms added to each HeadObject answer as S3's own first-byte
 * latency would. Each block uploads new avatars first, untimed.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@s3-batch}; {@code rounds},
 * {@code warmup} and {@code rows} are system properties ({@code -Dharness.args="-Drounds=8"}).
 */
public final class S3BatchHarness {

	private static final int ROUNDS = Integer.getInteger("rounds", 12);

	private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 3);

	private static final int ROWS = Integer.getInteger("rows", 1000);

	private S3BatchHarness() {
	}

	public static void main(String[] args) throws Exception {
		for (long latency : new long[] { 0, 10 }) {
			S3ProxyServer server = S3ProxyServer.withHeadObjectLatency(latency);
			ExecutorService pool = Executors.newFixedThreadPool(16);
			try (S3BenchmarkApplication off = new S3BenchmarkApplication(server, 16, "--mutation-hooks.enabled=false",
					"--db-scheduler.enabled=false");
					S3BenchmarkApplication on = new S3BenchmarkApplication(server, 16)) {
				Map<String, PairedRounds.Block> blocks = new LinkedHashMap<>();
				blocks.put("by hand, one by one, then saveAll", () -> {
					List<Member> batch = off.membersWithNewAvatars(ROWS);
					return timed(() -> {
						batch.forEach(member -> head(off.s3, member));
						off.members.saveAll(batch);
					});
				});
				blocks.put("by hand, 16 at a time, then saveAll", () -> {
					List<Member> batch = off.membersWithNewAvatars(ROWS);
					return timed(() -> {
						List<Future<?>> checks = new ArrayList<>(batch.size());
						batch.forEach(member -> checks.add(pool.submit(() -> head(off.s3, member))));
						for (Future<?> check : checks) {
							try {
								check.get();
							}
							catch (Exception ex) {
								throw new IllegalStateException(ex);
							}
						}
						off.members.saveAll(batch);
					});
				});
				blocks.put("the S3 binding (saveAll)", () -> {
					List<Member> batch = on.membersWithNewAvatars(ROWS);
					return timed(() -> on.members.saveAll(batch));
				});
				new PairedRounds(WARMUP_ROUNDS, ROUNDS).measure(
						"saveAll of " + ROWS + " members, avatars checked, HeadObject latency " + latency + " ms",
						"saveAll", blocks);
				System.out.printf("  (last block of the binding: %d HeadObject requests, at most %d at once)%n",
						on.requests.count("HeadObject"), on.requests.maxInFlight());
			}
			finally {
				pool.shutdownNow();
				server.stop();
			}
		}
	}

	private static void head(S3Client s3, Member member) {
		s3.headObject(request -> request.bucket(S3BenchmarkApplication.BUCKET).key(member.getAvatarUrl()));
	}

	private static double timed(Runnable work) {
		System.gc();
		long start = System.nanoTime();
		work.run();
		return System.nanoTime() - start;
	}

}
