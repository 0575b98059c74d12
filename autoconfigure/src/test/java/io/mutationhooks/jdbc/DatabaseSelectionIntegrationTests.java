package io.mutationhooks.jdbc;

import java.sql.Connection;
import java.util.Locale;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integration tests run against the database the Maven profile chose, so a green PostgreSQL or MariaDB run
 * cannot be an H2 run in disguise.
 */
@SpringBootTest(classes = TestApplication.class)
class DatabaseSelectionIntegrationTests {

	@Autowired
	DataSource dataSource;

	@Test
	void testsRunAgainstTheDatabaseTheProfileChose() throws Exception {
		String expected = System.getProperty("mutation-hooks.test.database", "h2");
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT))
				.contains(expected);
		}
	}

}
