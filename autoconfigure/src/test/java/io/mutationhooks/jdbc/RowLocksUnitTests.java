package io.mutationhooks.jdbc;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.data.annotation.Id;
import org.springframework.data.jdbc.core.convert.MappingJdbcConverter;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.relational.core.dialect.MySqlDialect;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link RowLocks} reads on MySQL and MariaDB to compare an aggregate's rows with the transaction's snapshot:
 * its root rows and the rows of each table inside it that refer to the root, locked and not.
 */
class RowLocksUnitTests {

	private final JdbcMappingContext mappingContext = new JdbcMappingContext();

	private final List<String> statements = new CopyOnWriteArrayList<>();

	/** Records each statement and finds no rows. */
	private final NamedParameterJdbcOperations jdbc = (NamedParameterJdbcOperations) Proxy.newProxyInstance(
			getClass().getClassLoader(), new Class<?>[] { NamedParameterJdbcOperations.class },
			(proxy, method, args) -> {
				if (!method.getName().equals("queryForList")) {
					throw new AssertionError("unexpected " + method.getName());
				}
				this.statements.add((String) args[0]);
				return List.of();
			});

	@Test
	void twoChildrenInOneTableAreEachComparedByTheirOwnColumn() {
		RowLocks locks = RowLocks.forDatabase(this.jdbc,
				new MappingJdbcConverter(this.mappingContext, (identifier, path) -> List.of()), MySqlDialect.INSTANCE);

		locks.lock(List.of(7L), Customer.class);

		assertThat(this.statements).filteredOn(sql -> sql.contains("`address`")).hasSize(4)
			.anySatisfy(sql -> assertThat(sql).contains("`billing_customer` IN (:ids) FOR UPDATE"))
			.anySatisfy(sql -> assertThat(sql).contains("`shipping_customer` IN (:ids) FOR UPDATE"));
	}

	static class Customer {

		@Id
		Long id;

		@MappedCollection(idColumn = "billing_customer")
		Address billing;

		@MappedCollection(idColumn = "shipping_customer")
		Address shipping;

	}

	record Address(String street) {
	}

}
