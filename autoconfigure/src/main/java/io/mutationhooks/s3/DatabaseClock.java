package io.mutationhooks.s3;

import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.dialect.H2Dialect;
import org.springframework.data.relational.core.dialect.MySqlDialect;
import org.springframework.data.relational.core.dialect.PostgresDialect;

/**
 * The database's clock in SQL, for the times of leases and claims: one clock for every instance of the
 * application, where the JVMs' clocks may differ. Times are absolute, whatever the time zone of a connection. Shared
 * with the orphan sweeper's tables; not meant for applications.
 */
public enum DatabaseClock {

	H2("CURRENT_TIMESTAMP", "DATEADD(MILLISECOND, %s, CURRENT_TIMESTAMP)", "h2"),

	POSTGRESQL("CURRENT_TIMESTAMP", "(CURRENT_TIMESTAMP + %s * INTERVAL '1 millisecond')", "postgresql"),

	// CURRENT_TIMESTAMP would be in the session's time zone in a DATETIME column.
	MYSQL("UTC_TIMESTAMP(6)", "TIMESTAMPADD(MICROSECOND, %s * 1000, UTC_TIMESTAMP(6))", "mysql");

	private final String now;

	private final String nowPlusMillis;

	private final String schema;

	DatabaseClock(String now, String nowPlusMillis, String schema) {
		this.now = now;
		this.nowPlusMillis = nowPlusMillis;
		this.schema = schema;
	}

	/** The clock of the database {@code dialect} speaks for (MariaDB's is MySQL's). */
	public static DatabaseClock of(Dialect dialect) {
		if (dialect instanceof H2Dialect) {
			return H2;
		}
		if (dialect instanceof PostgresDialect) {
			return POSTGRESQL;
		}
		if (dialect instanceof MySqlDialect) {
			return MYSQL;
		}
		throw new IllegalStateException("The S3 sync keeps its leases and claims in H2, PostgreSQL, MySQL or MariaDB, "
				+ "not with " + (dialect == null ? "no Spring Data JDBC dialect" : dialect.getClass().getSimpleName())
				+ ": declare your own KeyLeases and DeletionClaims beans, or set mutation-hooks.s3.enabled=false");
	}

	/** The current time, as an SQL expression. */
	public String now() {
		return this.now;
	}

	/** The current time plus the milliseconds the named parameter holds (negative for the past), as an SQL expression. */
	public String plusMillis(String parameter) {
		return this.nowPlusMillis.formatted(":" + parameter);
	}

	/** The schema file that creates the tables on this database. */
	public String schemaLocation() {
		return "classpath:io/mutationhooks/s3/schema-" + this.schema + ".sql";
	}

}
