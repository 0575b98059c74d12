package io.mutationhooks.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.DataAccessStrategy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Op;
import io.mutationhooks.jdbc.HookedJdbcAggregateTemplate;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

/**
 * What hooks cost a repository {@code saveAll} of 1000 users, paired in one JVM ({@link PairedRounds}): one
 * application context per setup (the starter switched off, a second switched-off context as a control, 1 global
 * no-op hook, 1 global hook that reads each update's old state), every block one {@code saveAll}. Blocks of new rows
 * start from an empty table; blocks of existing rows first insert the rows without hooks, untimed. One more block of
 * new rows runs in the hooked context but without hooks: Spring Data's own template, called in one transaction once
 * per part of the size the hooked {@code saveAll} writes at once: what the parts cost, apart from the hooks. One more
 * block of existing rows locks and reads them as the old-state hook's {@code saveAll} does, and writes nothing.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@bulk-save} on in-memory H2, each
 * context with its own database; {@code -Dharness.args="-Dmutation-hooks.test.database=postgresql"} runs it on the
 * PostgreSQL of the tests (127.0.0.1:5432, database {@code test}), the contexts sharing its tables, which each block
 * empties first. {@code rounds}, {@code warmup} and {@code rows} are system properties too, {@code only=creates}
 * or {@code only=updates} times only those blocks, and {@code clock=cpu} times the calling thread's CPU time instead
 * of the wall clock (for H2 on a busy machine).
 */
public final class BulkSaveHarness {

	private static final int ROUNDS = Integer.getInteger("rounds", 40);

	/**
	 * Enough for the JIT: on two cores its C2 compiler is busy with Spring's and H2's code for a long time, and reached
	 * the starter's per-entity code only after about 80 rounds and its per-part code after about 125 (seen with
	 * {@code -XX:+PrintCompilation}); 15 rounds timed C1's code, about 0.1x slower.
	 */
	private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 200);

	private static final int ROWS = Integer.getInteger("rows", 1000);

	/** {@code creates} or {@code updates} for a shorter run of only those blocks; both when not set. */
	private static final String ONLY = System.getProperty("only", "");

	private static final String DATABASE = System.getProperty("mutation-hooks.test.database", "h2");

	/** The most entities the hooked saveAll writes with one call of the template: {@code SaveAll.ENTITIES_PER_WRITE}. */
	private static final int PART = 100;

	private static long sink;

	private BulkSaveHarness() {
	}

	public static void main(String[] args) {
		Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();
		try {
			contexts.put("starter off", start("off", false));
			contexts.put("starter off again (control)", start("control", false));
			contexts.put("1 no-op global hook", withHook(start("noop", true), next -> next::mutate));
			if (!ONLY.equals("creates")) {
				contexts.put("1 hook reading old state", withHook(start("old", true), next -> mutation -> {
					if (mutation.op() == Op.UPDATE_ONE) {
						sink += mutation.oldEntity() != null ? 1 : 0;
					}
					return next.mutate(mutation);
				}));
			}

			Map<String, PairedRounds.Block> creates = new LinkedHashMap<>();
			Map<String, PairedRounds.Block> updates = new LinkedHashMap<>();
			contexts.forEach((name, context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				UserRepository users = context.getBean(UserRepository.class);
				JdbcAggregateOperations unhooked = unhooked(context);
				creates.put(name, () -> {
					jdbc.update("DELETE FROM app_user");
					List<User> batch = users(ROWS);
					return timed(() -> users.saveAll(batch));
				});
				updates.put(name, () -> {
					jdbc.update("DELETE FROM app_user");
					List<User> stored = new ArrayList<>();
					unhooked.saveAll(users(ROWS)).forEach(stored::add);
					stored.forEach(user -> user.setEmail("changed-" + user.getEmail()));
					return timed(() -> users.saveAll(stored));
				});
			});
			// What writing in parts costs without any hook: Spring Data's own template, in the hooked context, called
			// once per part of the size the hooked saveAll writes, in one transaction.
			ConfigurableApplicationContext hooked = contexts.get("1 no-op global hook");
			JdbcTemplate hookedJdbc = hooked.getBean(JdbcTemplate.class);
			JdbcAggregateOperations hookedUnhooked = unhooked(hooked);
			TransactionTemplate transaction = new TransactionTemplate(hooked.getBean(PlatformTransactionManager.class));
			creates.put("no hook, in parts of " + PART, () -> {
				hookedJdbc.update("DELETE FROM app_user");
				List<User> batch = users(ROWS);
				return timed(() -> transaction.executeWithoutResult(status -> {
					for (int from = 0; from < batch.size(); from += PART) {
						hookedUnhooked.saveAll(batch.subList(from, Math.min(from + PART, batch.size())));
					}
				}));
			});
			if (!ONLY.equals("creates")) {
				ConfigurableApplicationContext old = contexts.get("1 hook reading old state");
				updates.put("old state read alone, no write", oldStateReadAlone(old, true));
				updates.put("old state read alone, no write, no lock", oldStateReadAlone(old, false));
			}
			System.out.println("Database: " + DATABASE + ", timed by " + PairedRounds.clock());
			PairedRounds rounds = new PairedRounds(WARMUP_ROUNDS, ROUNDS);
			if (!ONLY.equals("updates")) {
				rounds.measure("saveAll of " + ROWS + " new users", "saveAll", creates);
			}
			if (!ONLY.equals("creates")) {
				rounds.measure("saveAll of " + ROWS + " existing users", "saveAll", updates);
			}
		}
		finally {
			contexts.values().forEach(ConfigurableApplicationContext::close);
		}
		System.out.println("(sink " + sink + ")");
	}

	/**
	 * The reads a hooked {@code saveAll} of existing rows makes for its old state, without the write: the rows locked
	 * and read through Spring Data JDBC's data access strategy, {@code OldStateReads}' statements of 100 ids on H2 and
	 * 1000 elsewhere, in one transaction. Against the switched-off {@code saveAll}, the least any exact old state read
	 * through Spring Data adds to it; without {@code lock}, the read alone.
	 */
	private static PairedRounds.Block oldStateReadAlone(ConfigurableApplicationContext context, boolean lock) {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc);
		JdbcAggregateOperations unhooked = unhooked(context);
		DataAccessStrategy strategy = context.getBean(JdbcAggregateTemplate.class).getDataAccessStrategy();
		TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
		int idsPerStatement = DATABASE.equals("h2") ? 100 : 1000;
		return () -> {
			jdbc.update("DELETE FROM app_user");
			List<Object> ids = new ArrayList<>();
			unhooked.saveAll(users(ROWS)).forEach(user -> ids.add(user.getId()));
			return timed(() -> transaction.executeWithoutResult(status -> {
				for (int from = 0; from < ids.size(); from += idsPerStatement) {
					List<Object> chunk = ids.subList(from, Math.min(from + idsPerStatement, ids.size()));
					if (lock) {
						named.queryForList("SELECT id FROM app_user WHERE id IN (:ids) ORDER BY id FOR UPDATE",
								Map.of("ids", chunk));
					}
					strategy.findAllById(chunk, User.class).forEach(user -> sink++);
				}
			}));
		};
	}

	private static ConfigurableApplicationContext start(String database, boolean enabled) {
		List<String> args = new ArrayList<>(List.of("--spring.main.web-application-type=none",
				"--logging.level.root=WARN", "--mutation-hooks.enabled=" + enabled, "--db-scheduler.enabled=" + enabled));
		if (DATABASE.equals("h2")) {
			args.add("--spring.datasource.url=jdbc:h2:mem:" + database
					+ ";DB_CLOSE_DELAY=-1;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
		}
		return SpringApplication.run(SaveOverheadHarness.BenchmarkApplication.class, args.toArray(String[]::new));
	}

	private static ConfigurableApplicationContext withHook(ConfigurableApplicationContext context, Hook hook) {
		context.getBean(HookRegistry.class).use(hook);
		return context;
	}

	/** The template without hooks in a hooked context, else the template itself. */
	private static JdbcAggregateOperations unhooked(ConfigurableApplicationContext context) {
		JdbcAggregateTemplate template = context.getBean(JdbcAggregateTemplate.class);
		return template instanceof HookedJdbcAggregateTemplate hooked ? hooked.unhooked() : template;
	}

	private static List<User> users(int count) {
		List<User> users = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			users.add(new User("user " + i, "user" + i + "@example.com"));
		}
		return users;
	}

	private static double timed(Runnable saveAll) {
		// Each block starts on an empty young generation, so it pays for its own garbage, not another's.
		System.gc();
		long start = PairedRounds.now();
		saveAll.run();
		return PairedRounds.now() - start;
	}


}
