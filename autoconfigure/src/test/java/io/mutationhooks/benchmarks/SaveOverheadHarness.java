package io.mutationhooks.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.core.WriteObserver;
import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.metrics.MutationObservations;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

/**
 * What hooks cost a repository {@code save} on in-memory H2 (or PostgreSQL, or MariaDB), measured as a paired comparison inside one JVM: one
 * application context per setup (the starter switched off, 1 and 10 global no-op hooks, 10 no-op hooks scoped to
 * {@code User}, and a second switched-off context as a control), each with its own in-memory database. Each round
 * times one block of saves in every context, in a random order, and takes the ratio of each to the switched-off
 * block of the same round ({@link PairedRounds}). Separate JMH
 * forks, whose compiled code and neighbours differ from fork to fork, vary by more than the 3% being measured;
 * {@code SaveBenchmark} measures the same setups the usual JMH way.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@save-overhead}; the system
 * properties {@code rounds}, {@code warmup} and {@code ops} (saves per block) go in
 * {@code -Dharness.args="-Drounds=60"}, and {@code clock=cpu} times the calling thread's CPU time instead of the
 * wall clock ({@link PairedRounds#now()}). {@code -Dobservation=true} measures the Micrometer observation instead: 10
 * global no-op hooks with an observation registry that records a timer per write, against the same without one, and
 * against the same with a bare Micrometer observation around each save by hand (what any observation costs);
 * {@code -Dlong-task-timer=false} leaves out the long task timer, as Boot's
 * {@code management.observations.long-task-timer.enabled=false} does.
 * {@code -Dmutation-hooks.test.database=postgresql} (or {@code mariadb}) runs it on the tests' database, or on
 * {@code -Dspring.datasource.url}. {@code -Dsetups=ten} starts only some of the hooked setups ({@link #SETUPS}).
 */
public final class SaveOverheadHarness {

	private static final int ROUNDS = Integer.getInteger("rounds", 60);

	private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 20);

	private static final int OPS = Integer.getInteger("ops", 20_000);

	private static final String OFF = "starter off";

	/**
	 * The hooked setups to start besides the two switched-off ones: {@code one} (1 global hook), {@code ten} (10
	 * global hooks), {@code scoped} (10 hooks scoped to {@code User}); all three unless {@code -Dsetups} names fewer.
	 * {@code ten-without-scheduler}, only when named, is {@code ten} without durable effects, so without
	 * db-scheduler's poll query on the application's connections; {@code ten-scheduler-stopped}, only when named, is
	 * {@code ten} with the durable effects in place but their scheduler stopped and the pool's connections renewed
	 * before the first round, so that only the poll query in H2's sessions is missing.
	 * Fewer setups share less of the JIT's profile: the hook chain's call sites see fewer kinds of hook.
	 */
	private static final List<String> SETUPS = List.of(System.getProperty("setups", "one,ten,scoped").split(","));

	/**
	 * The database: {@code h2} (each context its own in-memory database), or {@code postgresql} or {@code mariadb},
	 * the contexts then sharing the tables of the tests' database or of {@code spring.datasource.url}; each block of
	 * inserts empties the table first.
	 */
	private static final String DATABASE = System.getProperty("mutation-hooks.test.database", "h2");

	/** Whether to measure the observation instead: 10 global hooks, observed or not. */
	private static final boolean OBSERVATION = Boolean.getBoolean("observation");

	/**
	 * The floor of any observation of a write: 10 unobserved global hooks, and around each save a bare Micrometer
	 * {@code Observation} with the same five low-cardinality keys as the starter's, made once, and its scope open, as
	 * an application would time the call by hand.
	 */
	private static final String BY_HAND = "10 global hooks, a bare Observation by hand";

	private static final KeyValues CREATE_KEYS = KeyValues.of("entity", "User", "operation", "create", "outcome",
			"done", "hook", "none", "batch", "false");

	private static final KeyValues UPDATE_KEYS = CREATE_KEYS.and("operation", "update_one");

	private static long sink;

	private SaveOverheadHarness() {
	}

	public static void main(String[] args) {
		Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();
		try {
			if (OBSERVATION) {
				// Every context has the registries, so the baseline pays for what they make Boot time (the connection
				// pool's meters, say): the starter's observation of writes is all that differs.
				contexts.put("10 global hooks", withHooks(unobserved(start("ten", true, ObservedApplication.class,
						"--mutation-hooks.metrics.enabled=false")), 10, false));
				contexts.put("10 global hooks again (control)", withHooks(unobserved(start("control", true,
						ObservedApplication.class, "--mutation-hooks.metrics.enabled=false")), 10, false));
				contexts.put("10 global hooks, observed", withHooks(observed(start("observed", true,
						ObservedApplication.class)), 10, false));
				contexts.put(BY_HAND, withHooks(unobserved(start("by-hand", true, ObservedApplication.class,
						"--mutation-hooks.metrics.enabled=false")), 10, false));
			}
			else {
				contexts.put(OFF, start("off", false));
				contexts.put("starter off again (control)", start("control", false));
				if (SETUPS.contains("one")) {
					contexts.put("1 global hook", withHooks(start("one", true), 1, false));
				}
				if (SETUPS.contains("ten")) {
					contexts.put("10 global hooks", withHooks(start("ten", true), 10, false));
				}
				if (SETUPS.contains("scoped")) {
					contexts.put("10 hooks scoped to User", withHooks(start("scoped", true), 10, true));
				}
				if (SETUPS.contains("ten-scheduler-stopped")) {
					// The durable effects as they are, but their scheduler stopped and the pool's connections renewed,
					// so that no session holds the poll query: what that query alone costs.
					contexts.put("10 global hooks, scheduler stopped", withoutPollQuery(withHooks(start(
							"ten-scheduler-stopped", true), 10, false)));
				}
				if (SETUPS.contains("ten-without-scheduler")) {
					// No durable effects at all: neither their scheduler, whose poll query H2 keeps in the session of
					// each pooled connection it ran on and walks at each transaction's first write to a table, nor
					// their other beans.
					contexts.put("10 global hooks, no durable effects", withHooks(start("ten-without-scheduler",
							true, BenchmarkApplication.class, "--mutation-hooks.effects.enabled=false",
							"--db-scheduler.enabled=false", "--mutation-hooks.s3.cleanup.queue=in-memory"), 10, false));
				}
			}

			Map<String, PairedRounds.Block> creates = new LinkedHashMap<>();
			Map<String, PairedRounds.Block> updates = new LinkedHashMap<>();
			contexts.forEach((name, context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				UserRepository users = context.getBean(UserRepository.class);
				User existing = users.save(new User("bob", "bob@example.com"));
				if (name.equals(BY_HAND)) {
					ObservationRegistry registry = context.getBean(ObservationRegistry.class);
					creates.put(name, block(jdbc, true, () -> observedByHand(registry, CREATE_KEYS,
							() -> users.save(new User("ann", "ann@example.com")).getId())));
					updates.put(name, block(jdbc, false,
							() -> observedByHand(registry, UPDATE_KEYS, () -> users.save(existing).getId())));
					return;
				}
				creates.put(name, block(jdbc, true, () -> users.save(new User("ann", "ann@example.com")).getId()));
				updates.put(name, block(jdbc, false, () -> users.save(existing).getId()));
			});
			PairedRounds rounds = new PairedRounds(WARMUP_ROUNDS, ROUNDS);
			rounds.measure("save of a new entity (INSERT, CREATE), blocks of " + OPS + " saves", "save", creates);
			rounds.measure("save of an existing entity (UPDATE, UPDATE_ONE), blocks of " + OPS + " saves", "save",
					updates);
		}
		finally {
			contexts.values().forEach(ConfigurableApplicationContext::close);
		}
		System.out.println("(sink " + sink + ")");
	}

	private static ConfigurableApplicationContext start(String database, boolean enabled) {
		return start(database, enabled, BenchmarkApplication.class);
	}

	private static ConfigurableApplicationContext start(String database, boolean enabled, Class<?> application,
			String... moreArgs) {
		// A switched-off starter creates no db-scheduler table: its contexts run no scheduler, which would poll a
		// missing table every second (the hooked contexts' schedulers poll an empty one).
		List<String> args = new ArrayList<>(List.of("--spring.main.web-application-type=none",
				"--logging.level.root=WARN", "--mutation-hooks.enabled=" + enabled));
		if (Arrays.stream(moreArgs).noneMatch(arg -> arg.startsWith("--db-scheduler.enabled="))) {
			args.add("--db-scheduler.enabled=" + enabled);
		}
		if (DATABASE.equals("h2")) {
			args.add("--spring.datasource.url=jdbc:h2:mem:" + database
					+ ";DB_CLOSE_DELAY=-1;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
		}
		args.addAll(List.of(moreArgs));
		return SpringApplication.run(application, args.toArray(String[]::new));
	}

	/**
	 * {@code context} with its db-scheduler stopped and its pooled connections replaced by new ones, whose H2 sessions
	 * have not run the scheduler's poll query.
	 */
	private static ConfigurableApplicationContext withoutPollQuery(ConfigurableApplicationContext context) {
		context.getBean(Scheduler.class).stop();
		HikariDataSource pool = context.getBean(HikariDataSource.class);
		pool.getHikariPoolMXBean().softEvictConnections();
		return context;
	}

	/** {@code context}, checked not to observe its writes. */
	private static ConfigurableApplicationContext unobserved(ConfigurableApplicationContext context) {
		if (context.getBean(MutationRunner.class).writeObserver() != WriteObserver.NONE) {
			throw new IllegalStateException("the unobserved context's writes are observed");
		}
		return context;
	}

	/** {@code context}, checked to observe its writes. */
	private static ConfigurableApplicationContext observed(ConfigurableApplicationContext context) {
		if (!(context.getBean(MutationRunner.class).writeObserver() instanceof MutationObservations)) {
			throw new IllegalStateException("the observed context's writes are not observed");
		}
		return context;
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

	private static PairedRounds.Block block(JdbcTemplate jdbc, boolean emptyTableFirst, LongSupplier save) {
		return () -> {
			if (emptyTableFirst) {
				jdbc.update("DELETE FROM app_user");
			}
			// Each block starts on an empty young generation, so it pays for its own garbage, not another's.
			System.gc();
			long sum = 0;
			long start = PairedRounds.now();
			for (int i = 0; i < OPS; i++) {
				sum += save.getAsLong();
			}
			long elapsed = PairedRounds.now() - start;
			sink += sum;
			return (double) elapsed / OPS;
		};
	}

	private static long observedByHand(ObservationRegistry registry, KeyValues keys, LongSupplier save) {
		return Observation.createNotStarted("by.hand", registry)
			.lowCardinalityKeyValues(keys)
			.observe(() -> save.getAsLong());
	}

	private static Hook noOp() {
		return next -> mutation -> next.mutate(mutation);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = User.class)
	static class BenchmarkApplication {

	}

	/** The application with an observation registry that times every observation in a meter registry, as Boot's does. */
	@Configuration(proxyBeanMethods = false)
	@Import(BenchmarkApplication.class)
	static class ObservedApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleMeterRegistry meters) {
			ObservationRegistry registry = ObservationRegistry.create();
			// As Boot's management.observations.long-task-timer.enabled: on unless -Dlong-task-timer=false.
			registry.observationConfig()
				.observationHandler(Boolean.parseBoolean(System.getProperty("long-task-timer", "true"))
						? new DefaultMeterObservationHandler(meters)
						: new DefaultMeterObservationHandler(meters, IgnoredMeters.LONG_TASK_TIMER));
			return registry;
		}

	}

}
