package io.mutationhooks.effects;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;

import io.mutationhooks.autoconfigure.SchemaInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * db-scheduler's table created under the name {@code db-scheduler.table-name} gives, on the test's database, beside
 * the default one: on PostgreSQL and H2, whose index names are per schema, its indexes are named after it, so they do
 * not collide with the default table's.
 */
class EffectsTableNamedByTheApplicationIntegrationTests extends EffectsIntegrationTestSupport {

	private static final String DATABASE = System.getProperty("mutation-hooks.test.database", "h2");

	private static final String TABLE = "renamed_effect_runs";

	@AfterEach
	void dropTheTable() {
		this.jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
	}

	@Test
	void theTableAndItsIndexesAreCreatedUnderTheNameBesideTheDefaultTable() {
		this.jdbc.execute("DROP TABLE IF EXISTS " + TABLE);

		SchemaInitializer.effects(this.jdbc.getDataSource(), DatabaseInitializationMode.ALWAYS, TABLE)
			.initializeDatabase();

		// MariaDB's index names are per table: they keep theirs.
		String prefix = DATABASE.equals("mariadb") ? "" : TABLE + "_";
		assertThat(indexes(TABLE)).containsExactlyInAnyOrder(prefix + "execution_time_idx",
				prefix + "last_heartbeat_idx", prefix + "priority_execution_time_idx");
		assertThat(indexes("scheduled_tasks")).containsExactlyInAnyOrder("execution_time_idx", "last_heartbeat_idx",
				"priority_execution_time_idx");
		this.jdbc.update("INSERT INTO " + TABLE + " (task_name, task_instance, execution_time, picked, version) "
				+ "VALUES ('a-task', 'one', CURRENT_TIMESTAMP, FALSE, 1)");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Integer.class)).isOne();
	}

	/** The indexes of {@code table} other than its primary key, in lower case. */
	private List<String> indexes(String table) {
		String query = switch (DATABASE) {
			case "postgresql" -> "SELECT indexname FROM pg_indexes WHERE tablename = ?";
			case "mariadb" -> "SELECT DISTINCT index_name FROM information_schema.statistics "
					+ "WHERE table_schema = DATABASE() AND table_name = ?";
			default -> "SELECT index_name FROM information_schema.indexes WHERE LOWER(table_name) = ?";
		};
		return this.jdbc.queryForList(query, String.class, table)
			.stream()
			.map(String::toLowerCase)
			.filter(name -> name.endsWith("_idx"))
			.toList();
	}

}
