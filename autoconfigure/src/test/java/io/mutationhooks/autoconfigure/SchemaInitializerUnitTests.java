package io.mutationhooks.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * When the starter creates its tables: at start-up, and never while Spring AOT processes the application; and how
 * {@code always} fails on a database it has no schema file for.
 */
class SchemaInitializerUnitTests {

	private final JdbcDataSource dataSource = new JdbcDataSource();

	SchemaInitializerUnitTests() {
		this.dataSource.setURL("jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

	@AfterEach
	void forgetAotProcessing() {
		System.clearProperty(SchemaInitializer.AOT_PROCESSING);
	}

	@Test
	void theTablesAreCreatedAtStartUp() {
		assertThat(initializer().initializeDatabase()).isTrue();

		assertThat(tables()).isOne();
	}

	@Test
	void theEffectsTableIsCreatedInTheSchemaDbSchedulersTableNameNames() {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		jdbc.execute("CREATE SCHEMA tasks");

		assertThat(SchemaInitializer.effects(this.dataSource, DatabaseInitializationMode.ALWAYS, "tasks.effect_runs")
			.initializeDatabase()).isTrue();

		assertThat(jdbc.queryForList("SELECT LOWER(table_schema) || '.' || LOWER(table_name) FROM "
				+ "information_schema.tables WHERE LOWER(table_name) IN ('effect_runs', 'scheduled_tasks')",
				String.class))
			.containsExactly("tasks.effect_runs");
		assertThat(jdbc.queryForList("SELECT LOWER(index_name) FROM information_schema.indexes WHERE "
				+ "LOWER(table_name) = 'effect_runs' AND LOWER(index_name) LIKE '%idx'", String.class))
			.containsExactlyInAnyOrder("effect_runs_execution_time_idx", "effect_runs_last_heartbeat_idx",
					"effect_runs_priority_execution_time_idx");
	}

	@Test
	void dbSchedulersDefaultTableNameCreatesTheSchemaFileAsItIs() {
		assertThat(SchemaInitializer.effects(this.dataSource, DatabaseInitializationMode.ALWAYS, "scheduled_tasks")
			.initializeDatabase()).isTrue();

		assertThat(tables()).isOne();
		assertThat(new JdbcTemplate(this.dataSource).queryForList("SELECT LOWER(index_name) FROM "
				+ "information_schema.indexes WHERE LOWER(table_name) = 'scheduled_tasks' AND LOWER(index_name) "
				+ "LIKE '%idx'", String.class))
			.containsExactlyInAnyOrder("execution_time_idx", "last_heartbeat_idx", "priority_execution_time_idx");
	}

	@Test
	void indexesOfALongTableNameAreCutToPostgresqlsLongestNameAndStayApart() throws IOException {
		String table = "effects_of_the_billing_and_invoicing_service_x";

		String script = SchemaInitializer.withTableName(schemaFile("postgresql"), table);

		List<String> indexes = Pattern.compile("CREATE INDEX IF NOT EXISTS (\\w+) ON " + table + " ")
			.matcher(script)
			.results()
			.map(found -> found.group(1))
			.toList();
		assertThat(indexes).hasSize(3).doesNotHaveDuplicates().allMatch(name -> name.length() <= 63);
		assertThat(script).contains("CREATE TABLE IF NOT EXISTS " + table + " (").doesNotContain("scheduled_tasks");
	}

	@Test
	void theMysqlSchemaKeepsItsIndexNamesWhichArePerTable() throws IOException {
		String script = SchemaInitializer.withTableName(schemaFile("mysql"), "app_tasks");

		assertThat(script).contains("CREATE TABLE IF NOT EXISTS app_tasks (", "INDEX execution_time_idx (")
			.doesNotContain("scheduled_tasks");
	}

	@Test
	void aTableNamedLikeAnIndexIsCreatedUnderThatName() throws IOException {
		String script = SchemaInitializer.withTableName(schemaFile("h2"), "execution_time_idx");

		assertThat(script).contains("CREATE TABLE IF NOT EXISTS execution_time_idx (",
				"CREATE INDEX IF NOT EXISTS execution_time_idx_last_heartbeat_idx ON execution_time_idx ");
	}

	@Test
	void aNameTheStarterCannotCreateIsLeftToATableCreatedByHand() {
		SchemaInitializer initializer = SchemaInitializer.effects(this.dataSource, DatabaseInitializationMode.NEVER,
				"\"Effect Runs\"");

		assertThat(initializer.initializeDatabase()).isFalse();
		assertThatExceptionOfType(InvalidPropertyException.class)
			.isThrownBy(() -> SchemaInitializer.effects(this.dataSource, DatabaseInitializationMode.ALWAYS,
					"\"Effect Runs\"").initializeDatabase())
			.withMessageContaining("db-scheduler.table-name");
	}

	@Test
	void nothingIsCreatedWhileSpringAotProcessesTheApplicationAtBuildTime() {
		System.setProperty(SchemaInitializer.AOT_PROCESSING, "true");

		assertThat(initializer().initializeDatabase()).isFalse();

		assertThat(tables()).isZero();
	}

	@Test
	void alwaysOnADatabaseTheStarterHasNoSchemaFileForFailsStartUpWithAReportNamingTheProperty() {
		// H2 stands for a database Boot knows and the starter has no file for, such as Oracle.
		String location = "classpath:io/mutationhooks/nothing/schema-@@platform@@.sql";

		assertThatExceptionOfType(InvalidPropertyException.class)
			.isThrownBy(() -> new SchemaInitializer(this.dataSource, DatabaseInitializationMode.ALWAYS, location))
			.satisfies(ex -> assertThat(FailureReport.of(ex)).isEqualTo("""
					Description:
					Property mutation-hooks.jdbc.initialize-schema is set to 'always': the starter has no schema file \
					for this database (there is no classpath:io/mutationhooks/nothing/schema-h2.sql), so it cannot \
					create its tables
					Action:
					Create the starter's tables yourself, adapting one of its schema files (see Schema in the README), \
					and set mutation-hooks.jdbc.initialize-schema=never."""));
	}

	@Test
	void byDefaultADatabaseTheStarterHasNoSchemaFileForStartsWithoutItsTables() {
		String location = "classpath:io/mutationhooks/nothing/schema-@@platform@@.sql";

		assertThat(new SchemaInitializer(this.dataSource, DatabaseInitializationMode.EMBEDDED, location)
			.initializeDatabase()).isFalse();
	}

	@Test
	void alwaysOnADatabaseThatCannotBeReachedFailsWithItsOwnErrorNotOneAboutTheProperty() {
		JdbcDataSource unreachable = new JdbcDataSource();
		unreachable.setURL("jdbc:h2:tcp://127.0.0.1:1/unreachable");

		assertThatIllegalStateException()
			.isThrownBy(() -> new SchemaInitializer(unreachable, DatabaseInitializationMode.ALWAYS,
					SchemaInitializer.EFFECTS))
			.isNotInstanceOf(InvalidPropertyException.class)
			.withMessage("Failed to determine DatabaseDriver");
	}

	private SchemaInitializer initializer() {
		return new SchemaInitializer(this.dataSource, DatabaseInitializationMode.ALWAYS, SchemaInitializer.EFFECTS);
	}

	private static String schemaFile(String platform) throws IOException {
		return new ClassPathResource("io/mutationhooks/effects/scheduler/schema-" + platform + ".sql")
			.getContentAsString(StandardCharsets.UTF_8);
	}

	private int tables() {
		return new JdbcTemplate(this.dataSource).queryForObject(
				"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = 'SCHEDULED_TASKS'",
				Integer.class);
	}

}
