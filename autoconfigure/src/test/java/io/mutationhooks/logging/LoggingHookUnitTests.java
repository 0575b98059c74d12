package io.mutationhooks.logging;

import java.util.List;
import java.util.Optional;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.mutationhooks.Mutation;
import io.mutationhooks.Op;
import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.DeferredTransactionHooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The {@link LoggingHook} logs ids, queries and failures that come from users and rows escaped and cut, so that
 * none of them can forge or flood a log line.
 */
class LoggingHookUnitTests {

	private final Logger logger = (Logger) LoggerFactory.getLogger(LoggingHook.class);

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	private Level levelBefore;

	@BeforeEach
	void captureInfo() {
		this.levelBefore = this.logger.getLevel();
		this.logger.setLevel(Level.INFO);
		this.logged.start();
		this.logger.addAppender(this.logged);
	}

	@AfterEach
	void stopCapturing() {
		this.logger.detachAppender(this.logged);
		this.logger.setLevel(this.levelBefore);
	}

	@Test
	void anIdThatCouldForgeALogLineIsLoggedEscaped() throws Exception {
		Mutation<?> delete = mutation(Op.DELETE_ONE, "ann\n12:00:00.000 ERROR forged", Optional.empty());

		new LoggingHook().apply(mutation -> null).mutate(delete);

		assertThat(messages()).hasSize(2)
			.allSatisfy(message -> assertThat(message).startsWith("DELETE_ONE String id=ann\\u000A12:00:00.000 ERROR")
				.doesNotContain("\n"));
	}

	@Test
	void aWriteRolledBackAfterItWasDoneIsLoggedAsRolledBack() throws Exception {
		DeferredTransactionHooks transaction = new DeferredTransactionHooks();
		Mutation<?> create = mutation(Op.CREATE, 7L, Optional.empty(), transaction);

		new LoggingHook().apply(mutation -> "written").mutate(create);
		transaction.failed();

		assertThat(messages()).hasSize(3);
		assertThat(messages().get(1)).startsWith("CREATE String id=7: done in ");
		assertThat(messages().get(2)).isEqualTo("CREATE String id=7: rolled back");
	}

	@Test
	void aMegabyteIdIsLoggedCut() throws Exception {
		Mutation<?> delete = mutation(Op.DELETE_ONE, "x".repeat(1_000_000), Optional.empty());

		new LoggingHook().apply(mutation -> null).mutate(delete);

		assertThat(messages()).hasSize(2)
			.allSatisfy(message -> assertThat(message).hasSizeLessThan(500).contains("...(999800 more chars)"));
	}

	@Test
	void aQueryAndAFailureThatCouldForgeALogLineAreLoggedEscaped() {
		Mutation<?> delete = mutation(Op.DELETE, null, Optional.of("DELETE FROM member WHERE name = 'a\u2028b'"));

		assertThatIllegalStateException().isThrownBy(() -> new LoggingHook().apply(mutation -> {
			throw new IllegalStateException("duplicate key\n  Detail: Key (name)=(a\u0085b) already exists");
		}).mutate(delete));

		assertThat(messages()).hasSize(2)
			.allSatisfy(message -> assertThat(message).doesNotContain("\n", "\u2028", "\u0085"));
		assertThat(messages().get(1)).contains("by DELETE FROM member WHERE name = 'a\\u2028b'")
			.endsWith("java.lang.IllegalStateException: duplicate key\\u000A  Detail: Key (name)=(a\\u0085b) "
					+ "already exists");
	}

	private List<String> messages() {
		return this.logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Mutation<?> mutation(Op op, Object id, Optional<String> query) {
		return mutation(op, id, query, new DeferredTransactionHooks());
	}

	private static Mutation<?> mutation(Op op, Object id, Optional<String> query, TransactionHooks transaction) {
		Mutation mutation = mock(Mutation.class);
		given(mutation.transaction()).willReturn(transaction);
		given(mutation.op()).willReturn(op);
		given(mutation.type()).willReturn(String.class);
		given(mutation.id()).willReturn(id);
		given(mutation.query()).willReturn(query);
		return mutation;
	}

}
