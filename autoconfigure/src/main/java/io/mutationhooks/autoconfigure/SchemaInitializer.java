package io.mutationhooks.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.DefaultResourceLoader;

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
		boolean always = mode == DatabaseInitializationMode.ALWAYS;
		List<String> locations;
		try {
			locations = new PlatformPlaceholderDatabaseDriverResolver()
				.withDriverPlatform(DatabaseDriver.MARIADB, "mysql")
				.resolveAll(dataSource, (always ? "" : "optional:") + location);
		}
		catch (IllegalStateException undetected) {
			if (!always) {
				return settings;
			}
			// With a cause, the database could not be asked what it is: its own failure, not the property's.
			throw undetected.getCause() != null ? undetected
					: noSchemaFile("Spring Boot cannot tell what database it is", undetected);
		}
		if (always && !new DefaultResourceLoader().getResource(locations.get(0)).exists()) {
			throw noSchemaFile("there is no " + locations.get(0), null);
		}
		settings.setSchemaLocations(locations);
		return settings;
	}

	private static InvalidPropertyException noSchemaFile(String why, Throwable cause) {
		String property = MutationHooksProperties.PREFIX + ".jdbc.initialize-schema";
		return new InvalidPropertyException(property, "always",
				"the starter has no schema file for this database (" + why + "), so it cannot create its tables",
				"Create the starter's tables yourself, adapting one of its schema files (see Schema in the README), "
						+ "and set " + property + "=never.",
				cause);
	}

}
