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
		if (mode != DatabaseInitializationMode.NEVER) {
			settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver()
				.withDriverPlatform(DatabaseDriver.MARIADB, "mysql")
				.resolveAll(dataSource, SCHEMA_LOCATIONS.toArray(String[]::new)));
		}
		return settings;
	}

}
