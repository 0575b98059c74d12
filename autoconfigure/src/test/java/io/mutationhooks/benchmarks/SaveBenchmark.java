package io.mutationhooks.benchmarks;

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
 * What hooks cost a repository {@code save} on in-memory H2: with the starter off, with one no-op hook and with
 * ten. Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmarks test-compile exec:exec@jmh -Djmh.args=SaveBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 5, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class SaveBenchmark {

	/**
	 * "off" runs with mutation-hooks.enabled=false; a number runs with that many no-op hooks ("0": the starter on,
	 * no hook for the entity, so only the look-up of its hooks is paid).
	 */
	@Param({ "off", "1", "10" })
	public String hooks;

	private ConfigurableApplicationContext context;

	private UserRepository users;

	private JdbcTemplate jdbc;

	@Setup(Level.Trial)
	public void start() {
		boolean off = "off".equals(this.hooks);
		this.context = SpringApplication.run(BenchmarkApplication.class, "--spring.main.web-application-type=none",
				"--mutation-hooks.enabled=" + !off, "--logging.level.root=WARN");
		if (!off) {
			HookRegistry registry = this.context.getBean(HookRegistry.class);
			for (int i = 0; i < Integer.parseInt(this.hooks); i++) {
				registry.use(noOp());
			}
		}
		this.users = this.context.getBean(UserRepository.class);
		this.jdbc = this.context.getBean(JdbcTemplate.class);
	}

	private User existing;

	@Setup(Level.Iteration)
	public void emptyTable() {
		this.jdbc.update("DELETE FROM app_user");
		this.existing = this.users.save(new User("bob", "bob@example.com"));
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	/** save of a new user: an INSERT, a CREATE mutation. */
	@Benchmark
	public User save() {
		return this.users.save(new User("ann", "ann@example.com"));
	}

	/** save of an existing user: an UPDATE of one row, an UPDATE_ONE mutation; the table does not grow. */
	@Benchmark
	public User saveExisting() {
		return this.users.save(this.existing);
	}

	private static Hook noOp() {
		return next -> mutation -> next.mutate(mutation);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = User.class)
	static class BenchmarkApplication {

	}

}
