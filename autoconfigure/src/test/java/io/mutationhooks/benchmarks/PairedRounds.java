package io.mutationhooks.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A paired comparison of setups inside one JVM: each round times one block of every setup, in a random order, and
 * takes the ratio of each to the baseline's block of the same round, so all setups share the JIT's state and the
 * machine's drift cancels out. Ratios are skewed (a block hit by a stall is far slower, never far faster), so their
 * logarithms are averaged: the result is a geometric mean with a 95% confidence interval.
 */
final class PairedRounds {

	private final int warmupRounds;

	private final int rounds;

	PairedRounds(int warmupRounds, int rounds) {
		this.warmupRounds = warmupRounds;
		this.rounds = rounds;
	}

	/**
	 * Times the blocks and prints each setup's median and its ratio to the first, the baseline.
	 * @param what what a block does
	 * @param unit what one timed operation is, for the printed medians ({@code "save"}, {@code "call"})
	 * @param blocks the setups' blocks, the baseline first; each returns its nanoseconds per operation
	 */
	void measure(String what, String unit, Map<String, Block> blocks) {
		Random random = new Random(42);
		List<String> names = new ArrayList<>(blocks.keySet());
		Map<String, List<Double>> nanos = new LinkedHashMap<>();
		names.forEach(name -> nanos.put(name, new ArrayList<>()));
		for (int round = 0; round < this.warmupRounds + this.rounds; round++) {
			List<String> order = new ArrayList<>(names);
			Collections.shuffle(order, random);
			for (String name : order) {
				double perOperation = blocks.get(name).nanosPerOperation();
				if (round >= this.warmupRounds) {
					nanos.get(name).add(perOperation);
				}
			}
		}
		System.out.printf(Locale.ROOT, "%n%s: %d rounds per setup, after %d warm-up rounds%n", what, this.rounds,
				this.warmupRounds);
		String baseline = names.get(0);
		List<Double> base = nanos.get(baseline);
		System.out.printf(Locale.ROOT, "  %-34s median %.3f us/%s%n", baseline, median(base) / 1000, unit);
		for (String name : names.subList(1, names.size())) {
			List<Double> setup = nanos.get(name);
			double[] logRatios = new double[this.rounds];
			for (int i = 0; i < this.rounds; i++) {
				logRatios[i] = Math.log(setup.get(i) / base.get(i));
			}
			double mean = Arrays.stream(logRatios).average().orElseThrow();
			double sd = Math.sqrt(Arrays.stream(logRatios).map(r -> (r - mean) * (r - mean)).sum() / (this.rounds - 1));
			double halfWidth = 1.96 * sd / Math.sqrt(this.rounds);
			System.out.printf(Locale.ROOT,
					"  %-34s median %.3f us/%s; vs %s, paired: %.3fx (95%% CI %.3fx to %.3fx)%n", name,
					median(setup) / 1000, unit, baseline, Math.exp(mean), Math.exp(mean - halfWidth),
					Math.exp(mean + halfWidth));
		}
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

	/**
	 * Now, in nanoseconds: the wall clock, or with {@code -Dclock=cpu} the calling thread's CPU time. On in-memory H2
	 * the whole write runs on the calling thread, and its CPU time is far less disturbed by other processes competing
	 * for the cores than the wall clock is (not so for PostgreSQL, whose work the server does).
	 */
	static long now() {
		return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
	}

	/** What {@link #now()} measures, for the report. */
	static String clock() {
		return CPU_CLOCK ? "the calling thread's CPU time" : "the wall clock";
	}

	private static final boolean CPU_CLOCK = "cpu".equals(System.getProperty("clock"));

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	/** One timed block of a setup. */
	@FunctionalInterface
	interface Block {

		/** Runs the block and returns its nanoseconds per operation. */
		double nanosPerOperation();

	}

}
