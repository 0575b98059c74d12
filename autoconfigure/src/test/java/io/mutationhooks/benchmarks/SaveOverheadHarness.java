package io.mutationhooks.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

/**
 * What hooks cost a repository {@code save} on in-memory H2, measured as a paired comparison inside one JVM: one
 * application context per setup (the starter switched off, 1 and 10 global no-op hooks, 10 no-op hooks scoped to
 * {@code User}, and a second switched-off context as a control), each with its own in-memory database. Each round
 * times one block of saves in every context, in a random order, and takes the ratio of each to the switched-off
 * block of the same round, so all setups share the JIT's state and the machine's drift cancels out. Separate JMH
 * forks, whose compiled code and neighbours differ from fork to fork, vary by more than the 3% being measured;
 * {@code SaveBenchmark} measures the same setups the usual JMH way.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@save-overhead}; the system
 * properties {@code rounds}, {@code warmup} and {@code ops} (saves per block) go in
 * {@code -Dharness.args="-Drounds=60"}.
 */
public final class SaveOverheadHarness {

	private static final int ROUNDS = Integer.getInteger("rounds", 60);

	private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 20);

	private static final int OPS = Integer.getInteger("ops", 20_000);

	private static final String OFF = "starter off";

	private static long sink;

	private SaveOverheadHarness() {
	}

	public static void main(String[] args) {
		Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();
		try {
			contexts.put(OFF, start("off", false));
			contexts.put("starter off again (control)", start("control", false));
			contexts.put("1 global hook", withHooks(start("one", true), 1, false));
			contexts.put("10 global hooks", withHooks(start("ten", true), 10, false));
			contexts.put("10 hooks scoped to User", withHooks(start("scoped", true), 10, true));

			Map<String, Block> creates = new LinkedHashMap<>();
			Map<String, Block> updates = new LinkedHashMap<>();
			contexts.forEach((name, context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				UserRepository users = context.getBean(UserRepository.class);
				creates.put(name, block(jdbc, true, () -> users.save(new User("ann", "ann@example.com")).getId()));
				User existing = users.save(new User("bob", "bob@example.com"));
				updates.put(name, block(jdbc, false, () -> users.save(existing).getId()));
			});
			measure("save of a new entity (INSERT, CREATE)", creates);
			measure("save of an existing entity (UPDATE, UPDATE_ONE)", updates);
		}
		finally {
			contexts.values().forEach(ConfigurableApplicationContext::close);
		}
		System.out.println("(sink " + sink + ")");
	}

	private static ConfigurableApplicationContext start(String database, boolean enabled) {
		return SpringApplication.run(BenchmarkApplication.class, "--spring.main.web-application-type=none",
				"--logging.level.root=WARN", "--mutation-hooks.enabled=" + enabled,
				// A switched-off starter creates no db-scheduler table: its contexts run no scheduler, which would poll a
				// missing table every second (the hooked contexts' schedulers poll an empty one).
				"--db-scheduler.enabled=" + enabled,
				"--spring.datasource.url=jdbc:h2:mem:" + database
						+ ";DB_CLOSE_DELAY=-1;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
	}

	private static ConfigurableApplicationContext withHooks(ConfigurableApplicationContext context, int count,
			boolean scoped) {
		HookRegistry registry = context.getBean(HookRegistry.class);
		for (int i = 0; i < count; i++) {
			if (scoped) {
				registry.use(User.class, noOp());
			}
			else {
				registry.use(noOp());
			}
		}
		return context;
	}

	private static void measure(String what, Map<String, Block> blocks) {
		Random random = new Random(42);
		List<String> names = new ArrayList<>(blocks.keySet());
		Map<String, List<Double>> nanos = new LinkedHashMap<>();
		names.forEach(name -> nanos.put(name, new ArrayList<>()));
		for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
			List<String> order = new ArrayList<>(names);
			Collections.shuffle(order, random);
			for (String name : order) {
				double perSave = blocks.get(name).nanosPerSave();
				if (round >= WARMUP_ROUNDS) {
					nanos.get(name).add(perSave);
				}
			}
		}
		System.out.printf(Locale.ROOT, "%n%s: %d rounds of %d saves per setup, after %d warm-up rounds%n", what, ROUNDS,
				OPS, WARMUP_ROUNDS);
		List<Double> off = nanos.get(OFF);
		System.out.printf(Locale.ROOT, "  %-28s median %.3f us/save%n", OFF, median(off) / 1000);
		for (String name : names.subList(1, names.size())) {
			List<Double> setup = nanos.get(name);
			// Ratios are skewed (a block hit by a stall is far slower, never far faster): average their logarithms.
			double[] logRatios = new double[ROUNDS];
			for (int i = 0; i < ROUNDS; i++) {
				logRatios[i] = Math.log(setup.get(i) / off.get(i));
			}
			double mean = Arrays.stream(logRatios).average().orElseThrow();
			double sd = Math.sqrt(Arrays.stream(logRatios).map(r -> (r - mean) * (r - mean)).sum() / (ROUNDS - 1));
			double halfWidth = 1.96 * sd / Math.sqrt(ROUNDS);
			System.out.printf(Locale.ROOT,
					"  %-28s median %.3f us/save; vs off, paired: geometric mean %+.2f%%"
							+ " (95%% CI %+.2f%% to %+.2f%%)%n",
					name, median(setup) / 1000, percent(mean), percent(mean - halfWidth), percent(mean + halfWidth));
		}
	}

	private static double percent(double logRatio) {
		return (Math.exp(logRatio) - 1) * 100;
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

	private static Block block(JdbcTemplate jdbc, boolean emptyTableFirst, LongSupplier save) {
		return () -> {
			if (emptyTableFirst) {
				jdbc.update("DELETE FROM app_user");
			}
			// Each block starts on an empty young generation, so it pays for its own garbage, not another's.
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
	@EnableJdbcRepositories(basePackageClasses = User.class)
	static class BenchmarkApplication {

	}

}
