package io.mutationhooks.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The old state of many rows is locked and read in statements of a bounded number of ids (1000, 100 on H2), and the
 * rows are locked in id order across those statements, however the caller ordered them: two writers of the same rows
 * then never each hold a statement's rows the other waits for.
 */
@SpringBootTest(classes = TestApplication.class)
class OldStateReadsIntegrationTests {

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	NamedParameterJdbcOperations namedJdbc;

	@Autowired
	JdbcConverter converter;

	@Autowired
	Dialect dialect;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	/** The ids of each locking statement, as sent. */
	final List<List<?>> locked = new CopyOnWriteArrayList<>();

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
	}

	@Test
	void rowsGivenInAnyOrderAreLockedInIdOrderAcrossStatementsOfBoundedSize() {
		JdbcAggregateTemplate unhooked = (JdbcAggregateTemplate) ((HookedJdbcAggregateTemplate) this.template)
			.unhooked();
		List<Object> ids = new ArrayList<>();
		unhooked.saveAll(IntStream.range(0, 250).mapToObj(i -> Account.of("owner" + i, "basic")).toList())
			.forEach(account -> ids.add(account.id()));
		List<Object> shuffled = new ArrayList<>(ids);
		Collections.reverse(shuffled);
		shuffled.add(ids.get(7));
		RowLocks locks = RowLocks.forDatabase(recordingLocks(this.namedJdbc), this.converter, this.dialect);
		OldStateReads reads = new OldStateReads(unhooked, () -> locks);

		@SuppressWarnings({ "unchecked", "rawtypes" })
		List<Object> read = this.transactions.execute(status -> reads.byIds(shuffled, (Class) Account.class));

		assertThat(read).hasSize(250)
			.extracting(account -> (Object) ((Account) account).id())
			.containsExactlyInAnyOrderElementsOf(ids);
		int perStatement = locks.idsPerStatement();
		boolean h2 = System.getProperty("mutation-hooks.test.database", "h2").equals("h2");
		assertThat(perStatement).isEqualTo(h2 ? 100 : 1000);
		assertThat(this.locked).hasSize((250 + perStatement - 1) / perStatement)
			.allSatisfy(statement -> assertThat(statement).hasSizeLessThanOrEqualTo(perStatement));
		List<Long> lockOrder = this.locked.stream().flatMap(List::stream).map(id -> ((Number) id).longValue()).toList();
		assertThat(lockOrder).hasSize(250).isSorted();
	}

	/** {@code jdbc}, recording the ids of each locking statement before it runs it. */
	private NamedParameterJdbcOperations recordingLocks(NamedParameterJdbcOperations jdbc) {
		return (NamedParameterJdbcOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { NamedParameterJdbcOperations.class }, (proxy, method, args) -> {
					if (args != null && args.length > 1 && args[0] instanceof String sql && sql.endsWith("FOR UPDATE")
							&& args[1] instanceof Map<?, ?> parameters) {
						this.locked.add((List<?>) parameters.get("ids"));
					}
					try {
						return method.invoke(jdbc, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}
