package io.mutationhooks.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

/**
 * Creates the tables of durable effects from the starter's schema file for the database, before db-scheduler starts
 * (Boot orders beans that depend on database initialization after it). Every statement is idempotent, so running it
 * at each start is safe.
 */
public class EffectsSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/** The schema files; {@code @@platform@@} is h2, postgresql or mysql (MariaDB too). */
	public static final List<String> SCHEMA_LOCATIONS = List.of(
			"classpath:io/mutationhooks/effects/scheduler/schema-@@platform@@.sql",
			"optional:classpath:io/mutationhooks/s3/schema-@@platform@@.sql");

	public EffectsSchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode) {
		super(dataSource, settings(dataSource, mode));
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setMode(mode);
		if (mode == DatabaseInitializationMode.NEVER) {
			return settings;
		}
		// Only "always" insists on a schema file: by default, a database the starter has no file for (Oracle, say)
		// keeps its own tables and starts.
		String required = mode == DatabaseInitializationMode.ALWAYS ? "" : "optional:";
		String[] locations = SCHEMA_LOCATIONS.stream()
			.map(location -> location.startsWith("optional:") ? location : required + location)
			.toArray(String[]::new);
		try {
			settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver()
				.withDriverPlatform(DatabaseDriver.MARIADB, "mysql")
				.resolveAll(dataSource, locations));
		}
		catch (IllegalStateException unknownDatabase) {
			if (mode == DatabaseInitializationMode.ALWAYS) {
				throw new IllegalStateException(EffectsProperties.PREFIX + ".jdbc.initialize-schema is always, but the "
						+ "starter has no schema file for this database: create the tables yourself and set it to never",
						unknownDatabase);
			}
		}
		return settings;
	}

}
