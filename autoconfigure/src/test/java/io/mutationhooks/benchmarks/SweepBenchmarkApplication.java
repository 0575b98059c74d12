package io.mutationhooks.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import io.mutationhooks.s3.S3ProxyServer;
import io.mutationhooks.testapp.Member;

/**
 * What the sweep benchmarks share: the bucket of N objects under {@code app/} of which the even-numbered half is
 * referred to by {@code member} rows of a PostgreSQL database of the harness's own, and the application that sweeps
 * it (the test application on PostgreSQL, {@code avatars} swept under {@code app/} with grace 0), counting the S3
 * requests it sends by operation and the SQL statements it runs by verb and table, in a few counters only, so that
 * counting costs the heap nothing.
 */
final class SweepBenchmarkApplication {

	static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	static final String BUCKET = "avatars";

	static final String PREFIX = "app/";

	private SweepBenchmarkApplication() {
	}

	/**
	 * The key of object {@code n}: {@code app/avatar-<n, 7 digits>-<md5 of n>.png}, 52 characters, all in one
	 * "directory" so that S3Proxy's store holds no directory per object. {@link #fillDatabase} writes the same in SQL.
	 */
	static String key(int n) {
		try {
			byte[] md5 = MessageDigest.getInstance("MD5").digest(String.valueOf(n).getBytes(StandardCharsets.UTF_8));
			return String.format(Locale.ROOT, "%savatar-%07d-%032x.png", PREFIX, n, new BigInteger(1, md5));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The number of the object with {@code key}, as {@link #key} made it. */
	static int number(String key) {
		int start = (PREFIX + "avatar-").length();
		return Integer.parseInt(key, start, start + 7, 10);
	}

	/** Puts objects {@code from} to {@code to} (exclusive) every {@code step} straight into the server's store. */
	static void putObjects(S3ProxyServer server, int from, int to, int step) {
		List<String> keys = new ArrayList<>(10_000);
		for (int n = from; n < to; n += step) {
			keys.add(key(n));
			if (keys.size() == 10_000) {
				server.putObjects(BUCKET, keys);
				keys.clear();
			}
		}
		server.putObjects(BUCKET, keys);
	}

	/** Drops {@code database} if it is there and creates it anew: a harness's own database starts empty. */
	static void recreateDatabase(String database) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
			JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
			jdbc.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
			jdbc.execute("CREATE DATABASE " + database);
		}
	}

	/**
	 * Creates the test tables with a {@code member} row referring to every even-numbered one of {@code objects}
	 * objects, in the key's plain form; {@code indexed} indexes {@code member.avatar_url}, which the test schema
	 * does not.
	 */
	static void fillDatabase(String database, int objects, boolean indexed) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER + database, "postgres", "")) {
			ScriptUtils.executeSqlScript(connection, new ClassPathResource("schema-postgresql.sql"));
			try (Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO member (name, avatar_url) SELECT 'member ' || n, '" + PREFIX
						+ "avatar-' || lpad(n::text, 7, '0') || '-' || md5(n::text) || '.png' FROM generate_series(0, "
						+ (objects - 1) + ", 2) AS n");
				if (indexed) {
					statement.execute("CREATE INDEX member_avatar_url ON member (avatar_url)");
				}
				statement.execute("VACUUM ANALYZE member");
			}
		}
	}

	/**
	 * Starts the application on {@code database} (its tables made by {@link #fillDatabase}, the starter's by the
	 * starter) against {@code endpoint}.
	 */
	static ConfigurableApplicationContext start(String database, String endpoint, String... moreArguments) {
		// Read by the test application's properties, a system property as with the tests.
		System.setProperty("mutation-hooks.test.database", "postgresql");
		List<String> arguments = new ArrayList<>(List.of("--spring.main.web-application-type=none",
				"--logging.level.root=WARN",
				"--spring.datasource.url=" + SERVER + database, "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--spring.sql.init.mode=never",
				"--mutation-hooks.jdbc.initialize-schema=always", "--spring.cloud.aws.s3.endpoint=" + endpoint,
				"--spring.cloud.aws.s3.path-style-access-enabled=true", "--spring.cloud.aws.region.static=us-east-1",
				"--spring.cloud.aws.credentials.access-key=" + S3ProxyServer.ACCESS_KEY,
				"--spring.cloud.aws.credentials.secret-key=" + S3ProxyServer.SECRET_KEY,
				"--mutation-hooks.s3.buckets.avatars.prefix=" + PREFIX,
				"--mutation-hooks.s3.buckets.avatars.sweep.enabled=true",
				"--mutation-hooks.s3.buckets.avatars.sweep.grace-period=0s",
				// The effects' retries as the starter's defaults, not the test application's short ones.
				"--mutation-hooks.effects.retry.initial-backoff=1s", "--mutation-hooks.effects.retry.max-backoff=10m"));
		arguments.addAll(List.of(moreArguments));
		return SpringApplication.run(Application.class, arguments.toArray(String[]::new));
	}

	/** Effects not yet done (parked ones aside). */
	static long unfinishedEffects(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'"
				+ " AND execution_time < TIMESTAMP '9000-01-01 00:00:00'", Long.class);
	}

	/** Effects parked (given up for good). */
	static long parkedEffects(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'",
				Long.class) - unfinishedEffects(jdbc);
	}

	/** Waits, polling every 10 ms, until every effect has run. */
	static void awaitEffects(JdbcTemplate jdbc) {
		while (unfinishedEffects(jdbc) > 0) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** The load average, as {@code /proc/loadavg} tells it. */
	static String load() {
		try {
			return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
		}
		catch (java.io.IOException ex) {
			return "unknown";
		}
	}

	/** Counts of named things (S3 operations, SQL statements); a few keys only. */
	static final class Counts {

		private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

		void add(String what, long n) {
			this.counts.computeIfAbsent(what, key -> new AtomicLong()).addAndGet(n);
		}

		long get(String what) {
			AtomicLong count = this.counts.get(what);
			return count == null ? 0 : count.get();
		}

		long total() {
			return this.counts.values().stream().mapToLong(AtomicLong::get).sum();
		}

		void reset() {
			this.counts.clear();
		}

		/** The counts, sorted by name. */
		Map<String, Long> snapshot() {
			Map<String, Long> snapshot = new TreeMap<>();
			this.counts.forEach((what, count) -> snapshot.put(what, count.get()));
			return snapshot;
		}

	}

	/** Counts the S3 client's requests by operation, and the keys DeleteObjects sent and S3 refused. */
	static final class S3Requests implements ExecutionInterceptor {

		final Counts counts = new Counts();

		/** The nanoseconds from sending each request to its answer, by operation (the client is synchronous). */
		final Counts nanos = new Counts();

		private final ThreadLocal<Long> sent = new ThreadLocal<>();

		@Override
		public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
			this.sent.set(System.nanoTime());
			this.counts.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1);
			if (context.request() instanceof DeleteObjectsRequest delete) {
				this.counts.add("keys sent by DeleteObjects", delete.delete().objects().size());
			}
		}

		@Override
		public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
			Long start = this.sent.get();
			if (start != null) {
				this.nanos.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), System.nanoTime() - start);
			}
			if (context.response() instanceof DeleteObjectsResponse response) {
				this.counts.add("keys refused by DeleteObjects", response.errors().size());
			}
		}

	}

	/**
	 * Counts the SQL statements the application runs (each {@code execute*} call, a batch as one) and the commits,
	 * by verb and first table ({@code SELECT member}, {@code INSERT scheduled_tasks}): on one watched thread, the
	 * sweeping one, and on all threads.
	 */
	static final class Statements {

		private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|into|update)\\s+\"?(\\w+)");

		final Counts watchedThread = new Counts();

		final Counts allThreads = new Counts();

		/** The nanoseconds the watched thread spent in the statements and commits, from call to return. */
		final Counts watchedNanos = new Counts();

		private volatile Thread watched;

		void watch(Thread thread) {
			this.watched = thread;
		}

		void reset() {
			this.watchedThread.reset();
			this.allThreads.reset();
			this.watchedNanos.reset();
		}

		/** Runs a statement or commit named {@code what}, counting it and timing it on the watched thread. */
		Object count(String what, Object target, Method method, Object[] args) throws Throwable {
			this.allThreads.add(what, 1);
			if (Thread.currentThread() != this.watched) {
				return invoke(target, method, args);
			}
			this.watchedThread.add(what, 1);
			long start = System.nanoTime();
			try {
				return invoke(target, method, args);
			}
			finally {
				this.watchedNanos.add(what, System.nanoTime() - start);
			}
		}

		static String name(String sql) {
			String trimmed = sql.strip();
			int space = trimmed.indexOf(' ');
			String verb = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
			Matcher table = TABLE.matcher(trimmed);
			return table.find() ? verb + " " + table.group(1).toLowerCase(Locale.ROOT) : verb;
		}

		DataSource wrap(DataSource dataSource) {
			return proxy(DataSource.class, dataSource, (target, method, args) -> {
				Object result = invoke(target, method, args);
				return result instanceof Connection connection ? connection(connection) : result;
			});
		}

		private Connection connection(Connection connection) {
			return proxy(Connection.class, connection, (target, method, args) -> {
				switch (method.getName()) {
					case "prepareStatement", "prepareCall" -> {
						String name = name((String) args[0]);
						return proxy(method.getReturnType(), invoke(target, method, args),
								(statement, call, callArgs) -> call.getName().startsWith("execute")
										? count(name, statement, call, callArgs) : invoke(statement, call, callArgs));
					}
					case "createStatement" -> {
						return proxy(Statement.class, invoke(target, method, args),
								(statement, call, callArgs) -> call.getName().startsWith("execute") && callArgs != null
										&& callArgs.length > 0 && callArgs[0] instanceof String sql
												? count(name(sql), statement, call, callArgs)
												: invoke(statement, call, callArgs));
					}
					case "commit" -> {
						return count("COMMIT", target, method, args);
					}
					case "rollback" -> {
						return count("ROLLBACK", target, method, args);
					}
					default -> {
						return invoke(target, method, args);
					}
				}
			});
		}

		@SuppressWarnings("unchecked")
		private static <T> T proxy(Class<T> type, Object target, Handler handler) {
			return (T) Proxy.newProxyInstance(SweepBenchmarkApplication.class.getClassLoader(), new Class<?>[] { type },
					(InvocationHandler) (proxy, method, args) -> switch (method.getName()) {
						case "equals" -> proxy == args[0];
						case "hashCode" -> System.identityHashCode(proxy);
						default -> handler.handle(target, method, args);
					});
		}

		private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
			try {
				return method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

		@FunctionalInterface
		private interface Handler {

			Object handle(Object target, Method method, Object[] args) throws Throwable;

		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = Member.class)
	static class Application {

		@Bean
		static Statements statements() {
			return new Statements();
		}

		@Bean
		static BeanPostProcessor countingDataSource(Statements statements) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return bean instanceof DataSource dataSource ? statements.wrap(dataSource) : bean;
				}
			};
		}

		@Bean
		S3Requests s3Requests() {
			return new S3Requests();
		}

		@Bean
		S3ClientCustomizer countingS3ClientCustomizer(S3Requests requests) {
			return builder -> builder.overrideConfiguration(
					builder.overrideConfiguration().toBuilder().addExecutionInterceptor(requests).build());
		}

	}

}
