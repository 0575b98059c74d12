package io.mutationhooks.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Hook;
import io.mutationhooks.core.HookRegistry;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

/**
 * What 10 no-op hooks cost a repository {@code save} on in-memory H2, measured as a paired comparison inside one
 * JVM and one application context: {@link HookedUser} has 10 hooks, {@code User} (the same entity on another
 * table) has none. Each round times one block of saves of each, in a random order, and takes their ratio, so both sides
 * share the JIT's state and the machine's drift cancels out; separate JMH forks, whose compiled code differs from
 * fork to fork, vary more than the 3% being measured. {@code SaveBenchmark} measures the starter against switched
 * off in the usual JMH way.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@save-overhead}; the system
 * properties {@code rounds}, {@code warmup} and {@code ops} (saves per block) go in
 * {@code -Dharness.args="-Drounds=60"}.
 */
public final class SaveOverheadHarness {

	private static final int ROUNDS = Integer.getInteger("rounds", 60);

	private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 20);

	private static final int OPS = Integer.getInteger("ops", 20_000);

	/** 10; 0 runs the control experiment, both sides without hooks, which should show no difference. */
	private static final int HOOKS = Integer.getInteger("hooks", 10);

	private static long sink;

	private SaveOverheadHarness() {
	}

	public static void main(String[] args) {
		try (ConfigurableApplicationContext context = SpringApplication.run(BenchmarkApplication.class,
				"--spring.main.web-application-type=none", "--logging.level.root=WARN")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE hooked_user (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), "
					+ "email VARCHAR(200))");
			for (int i = 0; i < HOOKS; i++) {
				context.getBean(HookRegistry.class).use(HookedUser.class, noOp());
			}
			UserRepository users = context.getBean(UserRepository.class);
			HookedUserRepository hookedUsers = context.getBean(HookedUserRepository.class);

			Block hookedNew = block(jdbc, "hooked_user",
					() -> hookedUsers.save(new HookedUser("ann", "ann@example.com")).getId());
			Block plainNew = block(jdbc, "app_user", () -> users.save(new User("ann", "ann@example.com")).getId());
			measure("save of a new entity (INSERT, CREATE)", hookedNew, plainNew);

			HookedUser existingHooked = hookedUsers.save(new HookedUser("bob", "bob@example.com"));
			User existingPlain = users.save(new User("bob", "bob@example.com"));
			Block hookedExisting = block(jdbc, null, () -> hookedUsers.save(existingHooked).getId());
			Block plainExisting = block(jdbc, null, () -> users.save(existingPlain).getId());
			measure("save of an existing entity (UPDATE, UPDATE_ONE)", hookedExisting, plainExisting);
		}
		System.out.println("(sink " + sink + ")");
	}

	private static void measure(String what, Block hooked, Block plain) {
		Random random = new Random(42);
		List<double[]> pairs = new ArrayList<>();
		for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
			boolean hookedFirst = random.nextBoolean();
			double first = (hookedFirst ? hooked : plain).nanosPerSave();
			double second = (hookedFirst ? plain : hooked).nanosPerSave();
			if (Boolean.getBoolean("verbose")) {
				System.out.printf(Locale.ROOT, "round %d: %s first, %.3f then %.3f us/save%n", round,
						hookedFirst ? "hooked" : "plain", first / 1000, second / 1000);
			}
			if (round >= WARMUP_ROUNDS) {
				pairs.add(hookedFirst ? new double[] { first, second } : new double[] { second, first });
			}
		}
		// Ratios are skewed (a block hit by a stall is far slower, never far faster): average their logarithms.
		double[] logRatios = pairs.stream().mapToDouble(pair -> Math.log(pair[0] / pair[1])).toArray();
		double mean = Arrays.stream(logRatios).average().orElseThrow();
		double sd = Math.sqrt(Arrays.stream(logRatios).map(r -> (r - mean) * (r - mean)).sum() / (logRatios.length - 1));
		double halfWidth = 1.96 * sd / Math.sqrt(logRatios.length);
		System.out.printf(Locale.ROOT, "%n%s: %d rounds of %d saves each, after %d warm-up rounds%n", what, ROUNDS, OPS,
				WARMUP_ROUNDS);
		System.out.printf(Locale.ROOT, "  no hooks  median %.3f us/save%n", median(pairs, 1) / 1000);
		System.out.printf(Locale.ROOT, "  %d hooks  median %.3f us/save%n", HOOKS, median(pairs, 0) / 1000);
		System.out.printf(Locale.ROOT,
				"  %d hooks vs none, paired: geometric mean %+.2f%% (95%% CI %+.2f%% to %+.2f%%), median %+.2f%%%n", HOOKS,
				(Math.exp(mean) - 1) * 100, (Math.exp(mean - halfWidth) - 1) * 100,
				(Math.exp(mean + halfWidth) - 1) * 100, (Math.exp(median(logRatios)) - 1) * 100);
	}

	private static double median(List<double[]> pairs, int index) {
		return median(pairs.stream().mapToDouble(pair -> pair[index]).toArray());
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

	private static Block block(JdbcTemplate jdbc, String tableToEmpty, LongSupplier save) {
		return () -> {
			if (tableToEmpty != null) {
				jdbc.update("DELETE FROM " + tableToEmpty);
			}
			// Each block starts on an empty young generation, so it pays for its own garbage, not the other's.
			System.gc();
			long sum = 0;
			long start = System.nanoTime();
			for (int i = 0; i < OPS; i++) {
				sum += save.getAsLong();
			}
			long elapsed = System.nanoTime() - start;
			sink += sum;
			return (double) elapsed / OPS;
		};
	}

	private static Hook noOp() {
		return next -> mutation -> next.mutate(mutation);
	}

	/** One timed block of saves. */
	private interface Block {

		double nanosPerSave();

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = { User.class, HookedUser.class })
	static class BenchmarkApplication {

	}

}
