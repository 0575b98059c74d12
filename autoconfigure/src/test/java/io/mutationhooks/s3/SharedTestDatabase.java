package io.mutationhooks.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;

import org.h2.tools.Server;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import io.mutationhooks.autoconfigure.SchemaInitializer;

/**
 * The database that a test and the test applications it runs in child processes share, and that outlives them as a
 * database server outlives a crashed application: on PostgreSQL and MariaDB a database of its own beside the
 * profile's (named after it, with {@code _killed}, or the suffix a test asks for), so that no scheduler of a test
 * context still cached in this JVM takes the children's effects; on H2 a database in an H2 server of the test's own
 * JVM on loopback. Not an H2 file: a process killed with SIGKILL loses the commits of its last second or so that H2
 * had not yet written out.
 */
final class SharedTestDatabase implements AutoCloseable {

	private final String url;

	private final String username;

	private final String password;

	private final Server h2Server;

	private SharedTestDatabase(String url, String username, String password, Server h2Server) {
		this.url = url;
		this.username = username;
		this.password = password;
		this.h2Server = h2Server;
	}

	/** The database of this test, with the test tables and those of durable effects, and no effects. */
	static SharedTestDatabase create() {
		return create("killed", false);
	}

	/**
	 * A database of this test's own, {@code <profile's database>_<suffix>} on PostgreSQL and MariaDB, dropped and
	 * created again so that nothing of an earlier run (an effect, a lease, a sweep's progress, a table of a newer
	 * schema) is left in it; on H2 a new database, as {@link #create()} makes.
	 */
	static SharedTestDatabase fresh(String suffix) {
		return create(suffix, true);
	}

	private static SharedTestDatabase create(String suffix, boolean fresh) {
		String database = System.getProperty("mutation-hooks.test.database", "h2");
		SharedTestDatabase shared = database.equals("h2") ? inH2Server() : ofProfile(database, suffix, fresh);
		shared.query(jdbc -> {
			if (!database.equals("h2")) {
				// Its own database: start from the current schema files.
				jdbc.execute("DROP TABLE IF EXISTS scheduled_tasks, mutation_hooks_s3_lease, mutation_hooks_s3_claim, "
						+ "mutation_hooks_s3_tombstone");
			}
			if (!database.equals("h2") || !hasTable(jdbc, "member")) {
				new ResourceDatabasePopulator(new ClassPathResource("schema-" + database + ".sql"))
					.execute(jdbc.getDataSource());
			}
			for (String location : new String[] { SchemaInitializer.EFFECTS, SchemaInitializer.S3_LEASES }) {
				new SchemaInitializer(jdbc.getDataSource(), DatabaseInitializationMode.ALWAYS, location).initializeDatabase();
			}
			return jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = 'mutation-hooks-effect'");
		});
		return shared;
	}

	private static SharedTestDatabase inH2Server() {
		try {
			// Only on loopback: the build sets h2.bindAddress; -ifNotExists lets the first connection create it.
			Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
			return new SharedTestDatabase("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/mem:shared-" + UUID.randomUUID()
					+ ";DB_CLOSE_DELAY=-1;CASE_INSENSITIVE_IDENTIFIERS=TRUE", "sa", "", server);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The H2 server did not start", ex);
		}
	}

	/** The database of the profile, or of {@code SPRING_DATASOURCE_*} if set, as the test application reads it. */
	private static SharedTestDatabase ofProfile(String database, String suffix, boolean fresh) {
		try {
			Properties profile = PropertiesLoaderUtils
				.loadProperties(new ClassPathResource("application-" + database + ".properties"));
			String url = setting("url", profile);
			String username = setting("username", profile);
			String password = setting("password", profile);
			String own = ownDatabaseUrl(url, suffix);
			SharedTestDatabase profiles = new SharedTestDatabase(url, username, password, null);
			String name = databaseName(own);
			profiles.query(jdbc -> {
				if (fresh) {
					// WITH (FORCE) ends the sessions a child process of an earlier run may have left.
					jdbc.execute("DROP DATABASE IF EXISTS " + name + (database.equals("postgresql") ? " WITH (FORCE)" : ""));
				}
				if (database.equals("postgresql")) {
					if (jdbc.queryForList("SELECT 1 FROM pg_database WHERE datname = ?", name).isEmpty()) {
						jdbc.execute("CREATE DATABASE " + name);
					}
				}
				else {
					jdbc.execute("CREATE DATABASE IF NOT EXISTS " + name);
				}
				return null;
			});
			return new SharedTestDatabase(own, username, password, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The URL of the profile's database with the database name followed by {@code _<suffix>}. */
	private static String ownDatabaseUrl(String url, String suffix) {
		int query = url.indexOf('?');
		String base = query < 0 ? url : url.substring(0, query);
		return base + "_" + suffix + (query < 0 ? "" : url.substring(query));
	}

	private static String databaseName(String url) {
		int query = url.indexOf('?');
		String base = query < 0 ? url : url.substring(0, query);
		return base.substring(base.lastIndexOf('/') + 1);
	}

	private static String setting(String name, Properties profile) {
		return Optional.ofNullable(System.getenv("SPRING_DATASOURCE_" + name.toUpperCase()))
			.orElseGet(() -> profile.getProperty("spring.datasource." + name, ""));
	}

	private static boolean hasTable(JdbcTemplate jdbc, String table) {
		try {
			jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	/** What a test application needs to use this database, and to leave its tables as they are. */
	Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", this.url);
		properties.put("spring.datasource.username", this.username);
		properties.put("spring.datasource.password", this.password);
		properties.put("spring.sql.init.mode", "never");
		properties.put("mutation-hooks.jdbc.initialize-schema", "always");
		return properties;
	}

	/** Runs {@code work} on a connection of its own. */
	<T> T query(Function<JdbcTemplate, T> work) {
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(this.url, this.username, this.password,
				true);
		try {
			return work.apply(new JdbcTemplate(dataSource));
		}
		finally {
			dataSource.destroy();
		}
	}

	/** Drops an H2 database and stops its server; the profile's database stays. */
	@Override
	public void close() {
		if (this.h2Server != null) {
			query(jdbc -> jdbc.update("SHUTDOWN"));
			this.h2Server.stop();
		}
	}

}
