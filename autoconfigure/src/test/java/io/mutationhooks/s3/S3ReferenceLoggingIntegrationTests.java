package io.mutationhooks.s3;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;

import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * References from rows reach logs and exception messages escaped and cut: a stored reference can neither forge a
 * log line nor flood the log, while the exceptions' getters still give the reference as stored.
 */
class S3ReferenceLoggingIntegrationTests extends S3ProxyIntegrationTestSupport {

	private static final int MAX_LOGGED_CHARS = 1000;

	private static final String FORGING = "users/x'\n12:00:00.000 ERROR ... Gave up deleting s3://avatars/users/FORGED";

	@Autowired
	MemberRepository members;

	@Autowired
	JdbcAggregateTemplate template;

	@Value("${mutation-hooks.test.database:h2}")
	String database;

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	@BeforeEach
	void captureLogsAndCreateImportedProfiles() {
		this.logged.start();
		starterLogger().addAppender(this.logged);
		// LONGTEXT: MariaDB's VARCHAR needs a length; H2's and PostgreSQL's without one take a megabyte.
		String text = "mariadb".equals(this.database) ? "LONGTEXT" : "VARCHAR";
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS imported_profile (id BIGINT PRIMARY KEY, avatar " + text + ")");
		this.jdbc.update("DELETE FROM imported_profile");
	}

	@AfterEach
	void stopCapturingLogs() {
		starterLogger().detachAppender(this.logged);
	}

	@Test
	void deletingRowsWhoseReferencesCouldForgeOrFloodTheLogLogsThemEscapedAndCut() {
		insertMember("forger", FORGING);
		String megabyte = "users/" + "x".repeat(1_000_000);
		this.jdbc.update("INSERT INTO imported_profile (id, avatar) VALUES (1, ?)", megabyte);

		this.members.deleteAll();
		this.template.deleteAll(ImportedProfile.class);

		List<String> messages = this.logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		assertThat(messages).filteredOn(message -> message.startsWith("Not deleting the object of")).hasSize(2);
		assertThat(messages).anySatisfy(message -> assertThat(message)
			.contains("'users/x'\\u000A12:00:00.000 ERROR ... Gave up deleting s3://avatars/users/FORGED'"));
		assertThat(messages).anySatisfy(message -> assertThat(message).contains("...(999806 more chars)"));
		assertThat(messages).allSatisfy(message -> assertThat(message).doesNotContain("\n", "\r")
			.hasSizeLessThan(MAX_LOGGED_CHARS));
	}

	@Test
	void aReferenceThatReachesS3IsQuotedEscapedInTheExceptionButGivenAsStoredByItsGetters() {
		// U+2028 is a valid key character: the object is looked up, and it is missing.
		String reference = "users/x\u2028ERROR forged";

		assertThatExceptionOfType(S3ObjectMissingException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", reference)))
			.satisfies(ex -> {
				assertThat(ex.getMessage()).contains("s3://avatars/users/x\\u2028ERROR forged")
					.doesNotContain("\u2028");
				assertThat(ex.getKey()).isEqualTo(reference);
				assertThat(ex.getReference()).isEqualTo(reference);
			});
	}

	@Test
	void aMegabyteReferenceIsCutInTheExceptionButGivenWholeByItsGetter() {
		String reference = "s3://" + "b".repeat(1_000_000) + "/a8m.png";

		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", reference)))
			.satisfies(ex -> {
				assertThat(ex.getMessage()).hasSizeLessThan(MAX_LOGGED_CHARS).contains("more chars)");
				assertThat(ex.getReference()).isEqualTo(reference);
			});
		assertThat(this.requests.total()).isZero();
	}

	private static Logger starterLogger() {
		return (Logger) LoggerFactory.getLogger("io.mutationhooks");
	}

}
