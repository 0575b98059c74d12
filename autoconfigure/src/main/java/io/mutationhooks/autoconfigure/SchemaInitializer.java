package io.mutationhooks.autoconfigure;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

/**
 * Creates tables of the starter from its schema file for the database (durable effects: db-scheduler's table; the
 * S3 sync: its leases), before what depends on them starts (Boot orders beans that depend on database initialization
 * after it). Every statement is idempotent, so running it at each start is safe.
 */
public class SchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/** The schema files of durable effects; {@code @@platform@@} is h2, postgresql or mysql (MariaDB too). */
	public static final String EFFECTS = "classpath:io/mutationhooks/effects/scheduler/schema-@@platform@@.sql";

	/** Set by Spring while it processes an application ahead of time ({@code AbstractAotProcessor}). */
	static final String AOT_PROCESSING = "spring.aot.processing";

	/** The schema files of the S3 sync's leases. */
	public static final String S3_LEASES = "classpath:io/mutationhooks/s3/schema-@@platform@@.sql";

	/**
	 * @param dataSource the database
	 * @param mode when to run, from {@code mutation-hooks.jdbc.initialize-schema}
	 * @param location the schema file, with {@code @@platform@@} for the database's platform
	 */
	public SchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String location) {
		super(dataSource, settings(dataSource, mode, location));
	}

	/**
	 * Does nothing while Spring AOT processes the application at build time: beans that need the database can be
	 * created then (Spring Data JDBC's dialect, for its ahead-of-time repositories), and no build may touch the
	 * database the application will run on.
	 */
	@Override
	public boolean initializeDatabase() {
		if (Boolean.getBoolean(AOT_PROCESSING)) {
			return false;
		}
		return super.initializeDatabase();
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode,
			String location) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setMode(mode);
		if (mode == DatabaseInitializationMode.NEVER) {
			return settings;
		}
		// Only "always" insists on a schema file: by default, a database the starter has no file for (Oracle, say)
		// keeps its own tables and starts.
		String required = mode == DatabaseInitializationMode.ALWAYS ? "" : "optional:";
		try {
			settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver()
				.withDriverPlatform(DatabaseDriver.MARIADB, "mysql")
				.resolveAll(dataSource, required + location));
		}
		catch (IllegalStateException unknownDatabase) {
			if (mode == DatabaseInitializationMode.ALWAYS) {
				throw new IllegalStateException(MutationHooksProperties.PREFIX + ".jdbc.initialize-schema is always, but "
						+ "the starter has no schema file for this database: create the tables yourself and set it to never",
						unknownDatabase);
			}
		}
		return settings;
	}

}
