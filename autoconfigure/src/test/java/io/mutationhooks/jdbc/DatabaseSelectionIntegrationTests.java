package io.mutationhooks.jdbc;

import java.sql.Connection;
import java.util.Locale;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;

import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integration tests run against the database and Spring Boot version the Maven profiles chose, so a green
 * PostgreSQL, MariaDB or Boot 4.1 run cannot be another run in disguise.
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

	@Test
	void testsRunAgainstTheSpringBootVersionTheProfileChose() {
		String expected = System.getProperty("mutation-hooks.test.spring-boot-version");
		assertThat(expected).as("set by the Maven build").isNotBlank();
		assertThat(SpringBootVersion.getVersion()).isEqualTo(expected);
	}

}
