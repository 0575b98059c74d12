package io.mutationhooks.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.kagkarlsson.scheduler.Scheduler;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.core.DeferredTransactionHooks;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3CleanupQueue;
import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.testapp.Member;

/**
 * What durable effects cost, measured paired in one JVM against the in-process S3Proxy and H2 in memory:
 * <ol>
 * <li>throughput: 10,000 object deletes through the durable path (10 transactions recording 1000 deletes each, until
 * every effect is done) against the same deletes sent straight with 10 DeleteObjects requests, alternating which goes
 * first each round;</li>
 * <li>latency: from the commit of a transaction recording one delete to its DeleteObjects request, with one instance
 * and with a second instance polling the same database;</li>
 * <li>overhead in the delete's own transaction: {@code deleteById} of a member whose avatar is cleaned up (one more
 * insert) against one whose bucket has cleanup off, in two contexts, paired, with the schedulers paused while timed.</li>
 * </ol>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@effects}.
 */
public final class EffectsHarness {

	private static final int DELETES = 10_000;

	private EffectsHarness() {
	}

	public static void main(String[] args) {
		int rounds = Integer.getInteger("rounds", 7);
		int samples = Integer.getInteger("samples", 500);
		S3ProxyServer server = S3ProxyServer.shared();
		try (S3BenchmarkApplication app = new S3BenchmarkApplication(server, 16)) {
			throughput(app, rounds);
			latency("one instance", app, samples);
			try (S3BenchmarkApplication other = new S3BenchmarkApplication(server, 16)) {
				latency("two instances polling", app, samples, other);
			}
			try (S3BenchmarkApplication withoutCleanup = new S3BenchmarkApplication(server, 16,
					"--mutation-hooks.s3.buckets.avatars.cleanup=false")) {
				overhead(app, withoutCleanup, rounds, samples);
			}
		}
		System.exit(0);
	}

	private static void throughput(S3BenchmarkApplication app, int rounds) {
		System.out.printf("%nThroughput: %d deletes, %d rounds (+1 warm-up)%n", DELETES, rounds);
		double[] ratios = new double[rounds];
		for (int round = -1; round < rounds; round++) {
			List<String> straightKeys = app.newObjects(DELETES);
			List<String> durableKeys = app.newObjects(DELETES);
			long straight;
			long durable;
			if ((round & 1) == 0) {
				straight = straight(app, straightKeys);
				durable = durable(app, durableKeys);
			}
			else {
				durable = durable(app, durableKeys);
				straight = straight(app, straightKeys);
			}
			if (round >= 0) {
				ratios[round] = (double) straight / durable;
				System.out.printf("  round %d: straight %.1f ms, durable %.1f ms, throughput ratio %.3f%n", round,
						straight / 1e6, durable / 1e6, ratios[round]);
			}
		}
		Arrays.sort(ratios);
		System.out.printf("  durable/straight throughput: median %.3f, min %.3f, max %.3f%n", ratios[rounds / 2],
				ratios[0], ratios[rounds - 1]);
	}

	private static long straight(S3BenchmarkApplication app, List<String> keys) {
		long start = System.nanoTime();
		for (int from = 0; from < keys.size(); from += 1000) {
			List<ObjectIdentifier> objects = keys.subList(from, from + 1000)
				.stream()
				.map(key -> ObjectIdentifier.builder().key(key).build())
				.toList();
			app.s3.deleteObjects(request -> request.bucket(S3BenchmarkApplication.BUCKET)
				.delete(delete -> delete.objects(objects).quiet(true)));
		}
		return System.nanoTime() - start;
	}

	private static long durable(S3BenchmarkApplication app, List<String> keys) {
		TransactionTemplate transaction = new TransactionTemplate(app.context.getBean(PlatformTransactionManager.class));
		S3CleanupQueue cleanup = app.context.getBean(S3CleanupQueue.class);
		S3Bucket bucket = app.context.getBean(S3References.class).buckets().get(S3BenchmarkApplication.BUCKET);
		long start = System.nanoTime();
		for (int from = 0; from < keys.size(); from += 1000) {
			List<String> chunk = keys.subList(from, from + 1000);
			transaction.executeWithoutResult(
					status -> cleanup.enqueue(bucket, chunk, new DeferredTransactionHooks()));
		}
		app.awaitEffects();
		return System.nanoTime() - start;
	}

	private static void latency(String setup, S3BenchmarkApplication app, int samples,
			S3BenchmarkApplication... others) {
		TransactionTemplate transaction = new TransactionTemplate(app.context.getBean(PlatformTransactionManager.class));
		S3CleanupQueue cleanup = app.context.getBean(S3CleanupQueue.class);
		S3Bucket bucket = app.context.getBean(S3References.class).buckets().get(S3BenchmarkApplication.BUCKET);
		AtomicLong sent = new AtomicLong();
		List<S3BenchmarkApplication> instances = new ArrayList<>(List.of(others));
		instances.add(app);
		instances.forEach(instance -> instance.requests.onSend(operation -> {
			if (operation.equals("DeleteObjects")) {
				sent.compareAndSet(0, System.nanoTime());
			}
		}));
		List<String> keys = app.newObjects(samples + 50);
		long[] micros = new long[samples];
		for (int i = -50; i < samples; i++) {
			String key = keys.get(i + 50);
			long[] committed = new long[1];
			sent.set(0);
			transaction.executeWithoutResult(status -> {
				cleanup.enqueue(bucket, List.of(key), new DeferredTransactionHooks());
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public int getOrder() {
						return HIGHEST_PRECEDENCE; // before the effects' own after-commit wake-up
					}

					@Override
					public void afterCommit() {
						committed[0] = System.nanoTime();
					}
				});
			});
			app.awaitEffects();
			if (i >= 0) {
				micros[i] = (sent.get() - committed[0]) / 1000;
			}
		}
		instances.forEach(instance -> instance.requests.reset());
		Arrays.sort(micros);
		System.out.printf("%nCommit to DeleteObjects, single deletes, %s, %d samples: p50 %.2f ms, p90 %.2f ms, "
				+ "p99 %.2f ms, max %.2f ms%n", setup, samples, micros[samples / 2] / 1e3, micros[samples * 9 / 10] / 1e3,
				micros[samples * 99 / 100] / 1e3, micros[samples - 1] / 1e3);
	}

	private static void overhead(S3BenchmarkApplication withCleanup, S3BenchmarkApplication withoutCleanup, int rounds,
			int samples) {
		System.out.printf("%nDelete transaction with a durable cleanup effect vs without, %d rounds of %d deletes "
				+ "(+1 warm-up)%n", rounds, samples);
		double[] ratios = new double[rounds];
		for (int round = -1; round < rounds; round++) {
			long with;
			long without;
			if ((round & 1) == 0) {
				with = deletes(withCleanup, samples, withoutCleanup);
				without = deletes(withoutCleanup, samples, withCleanup);
			}
			else {
				without = deletes(withoutCleanup, samples, withCleanup);
				with = deletes(withCleanup, samples, withoutCleanup);
			}
			if (round >= 0) {
				ratios[round] = (double) with / without;
				System.out.printf("  round %d: with %.1f µs, without %.1f µs a delete, ratio %.3f%n", round,
						with / 1e3 / samples, without / 1e3 / samples, ratios[round]);
			}
		}
		Arrays.sort(ratios);
		System.out.printf("  with/without: median %.3f, min %.3f, max %.3f%n", ratios[rounds / 2], ratios[0],
				ratios[rounds - 1]);
	}

	/**
	 * Times {@code count} single deletes with every scheduler on the database paused, then lets the effects run
	 * untimed.
	 */
	private static long deletes(S3BenchmarkApplication app, int count, S3BenchmarkApplication other) {
		List<Member> saved = app.members.saveAll(app.membersWithNewAvatars(count));
		List<Scheduler> schedulers = List.of(app.context.getBean(Scheduler.class), other.context.getBean(Scheduler.class));
		schedulers.forEach(Scheduler::pause);
		long start = System.nanoTime();
		for (Member member : saved) {
			app.members.deleteById(member.getId());
		}
		long elapsed = System.nanoTime() - start;
		schedulers.forEach(Scheduler::resume);
		app.awaitEffects();
		return elapsed;
	}

}
