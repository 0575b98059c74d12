package io.mutationhooks.autoconfigure;

import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** When the starter creates its tables: at start-up, and never while Spring AOT processes the application. */
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
	void nothingIsCreatedWhileSpringAotProcessesTheApplicationAtBuildTime() {
		System.setProperty(SchemaInitializer.AOT_PROCESSING, "true");

		assertThat(initializer().initializeDatabase()).isFalse();

		assertThat(tables()).isZero();
	}

	private SchemaInitializer initializer() {
		return new SchemaInitializer(this.dataSource, DatabaseInitializationMode.ALWAYS, SchemaInitializer.EFFECTS);
	}

	private int tables() {
		return new JdbcTemplate(this.dataSource).queryForObject(
				"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = 'SCHEDULED_TASKS'",
				Integer.class);
	}

}
