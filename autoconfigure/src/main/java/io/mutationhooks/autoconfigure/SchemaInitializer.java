package io.mutationhooks.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

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

	/** The name db-scheduler's table has in {@link #EFFECTS}, its own default. */
	static final String SCHEDULER_TABLE = "scheduled_tasks";

	/** A table name db-scheduler can put in its SQL as it is: a plain identifier, with a schema or not. */
	private static final Pattern TABLE_NAME = Pattern
		.compile("(?:[A-Za-z_][A-Za-z0-9_]*\\.)?([A-Za-z_][A-Za-z0-9_]*)");

	/** The {@code CREATE TABLE} of {@link #EFFECTS}. */
	private static final Pattern CREATE_TABLE = Pattern
		.compile("(CREATE TABLE IF NOT EXISTS )" + SCHEDULER_TABLE + "\\b");

	/**
	 * A {@code CREATE INDEX} of {@link #EFFECTS} (PostgreSQL and H2, whose index names are per schema; MySQL's are
	 * declared in the table, named per table).
	 */
	private static final Pattern CREATE_INDEX = Pattern
		.compile("(CREATE INDEX IF NOT EXISTS )(\\w+)( ON )" + SCHEDULER_TABLE + "\\b");

	/** PostgreSQL's longest identifier, in bytes: longer index names are cut, and could then be the same. */
	private static final int LONGEST_INDEX_NAME = 63;

	/** What is done to each script before it runs (the renaming of db-scheduler's table), or {@literal null}. */
	private final UnaryOperator<String> scriptText;

	/**
	 * @param dataSource the database
	 * @param mode when to run, from {@code mutation-hooks.jdbc.initialize-schema}
	 * @param location the schema file, with {@code @@platform@@} for the database's platform
	 */
	public SchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String location) {
		this(dataSource, mode, location, null);
	}

	private SchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String location,
			UnaryOperator<String> scriptText) {
		super(dataSource, settings(dataSource, mode, location));
		this.scriptText = scriptText;
	}

	/**
	 * The initializer of durable effects' table, db-scheduler's, created as {@code tableName}
	 * ({@code db-scheduler.table-name}), its indexes named after it unless its name is db-scheduler's default.
	 * @param dataSource the database db-scheduler stores its tasks in
	 * @param mode when to run, from {@code mutation-hooks.jdbc.initialize-schema}
	 * @param tableName the table db-scheduler reads and writes; checked when the table is created, so that a name
	 * the starter cannot create (a quoted one) stays possible with a table created by hand
	 */
	public static SchemaInitializer effects(DataSource dataSource, DatabaseInitializationMode mode, String tableName) {
		if (tableName == null || tableName.equals(SCHEDULER_TABLE)) {
			return new SchemaInitializer(dataSource, mode, EFFECTS);
		}
		return new SchemaInitializer(dataSource, mode, EFFECTS, script -> withTableName(script, tableName));
	}

	/**
	 * {@code script}, a schema file of {@link #EFFECTS}, creating the table as {@code tableName}, and its indexes
	 * named after it unless it is db-scheduler's default in another schema.
	 * @throws InvalidPropertyException if {@code tableName} is no plain identifier (with a schema or not)
	 */
	static String withTableName(String script, String tableName) {
		Matcher name = TABLE_NAME.matcher(tableName);
		if (!name.matches()) {
			throw new InvalidPropertyException("db-scheduler.table-name", tableName,
					"the starter creates db-scheduler's table under that name, and it is no plain table name "
							+ "(letters, digits and underscores, with a schema and a dot before it or not)",
					"Set db-scheduler.table-name to a plain table name, or create the table yourself and set "
							+ MutationHooksProperties.PREFIX + ".jdbc.initialize-schema=never.",
					null);
		}
		String table = name.group(1);
		Matcher index = CREATE_INDEX.matcher(script);
		StringBuilder renamed = new StringBuilder();
		while (index.find()) {
			String indexName = table.equalsIgnoreCase(SCHEDULER_TABLE) ? index.group(2)
					: table.substring(0, Math.min(table.length(), LONGEST_INDEX_NAME - 1 - index.group(2).length()))
							+ "_" + index.group(2);
			index.appendReplacement(renamed,
					Matcher.quoteReplacement(index.group(1) + indexName + index.group(3) + tableName));
		}
		index.appendTail(renamed);
		return CREATE_TABLE.matcher(renamed).replaceAll("$1" + Matcher.quoteReplacement(tableName));
	}

	@Override
	protected void runScripts(Scripts scripts) {
		if (this.scriptText == null) {
			super.runScripts(scripts);
			return;
		}
		Charset encoding = scripts.getEncoding() != null ? scripts.getEncoding() : StandardCharsets.UTF_8;
		List<Resource> changed = new ArrayList<>();
		for (Resource script : scripts) {
			try {
				changed.add(new ByteArrayResource(
						this.scriptText.apply(script.getContentAsString(encoding)).getBytes(encoding),
						script.getDescription()));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read " + script.getDescription(), ex);
			}
		}
		super.runScripts(new Scripts(changed).continueOnError(scripts.isContinueOnError())
			.separator(scripts.getSeparator())
			.encoding(encoding));
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
