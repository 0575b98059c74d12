package io.mutationhooks.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.AccountRepository;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the starter tells the user: the query methods hooks cannot see into (not derived deletes, whose rows are read
 * first), at start-up, and each write when the logging hook is on.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingAndStartupReportIntegrationTests {

	@Test
	void startUpWarnsAboutEachWritingQueryMethodOfAHookedEntityWhoseRowsHooksCannotKnow(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SpringApplication.run(TestApplication.class,
				"--spring.main.web-application-type=none")) {
			assertThat(output).contains("WARN")
				.contains("UserRepository.updateEmailByName(String, String) writes User rows with a query")
				.contains("UserRepository.deleteByEmailQuery(String) writes User rows with a query")
				.contains("UserRepository.insertByQuery(String, String) writes User rows with a query")
				.doesNotContain("UserRepository.deleteByName(String) writes")
				.doesNotContain("UserRepository.removeByEmail(String) writes")
				.doesNotContain("PostRepository.deleteByTitle(String) writes");
		}
	}

	@Test
	void startUpLogsTheHookChainOfEachEntityTypeAtDebugNamedByTheirBeans(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SpringApplication.run(TestApplication.class,
				"--spring.main.web-application-type=none",
				"--logging.level.io.mutationhooks.autoconfigure.HookChainReport=debug")) {
			assertThat(output)
				.containsPattern("DEBUG .*HookChainReport *: Mutation hooks of User: "
						+ "\\[recordingHook: RecordingHook, switchableHook: SwitchableHook\\]")
				.contains("Mutation hooks of Account: [recordingHook: RecordingHook, switchableHook: SwitchableHook]");
		}
	}

	@Test
	void loggingHookLogsTypeOperationIdAndDuration(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SpringApplication.run(TestApplication.class,
				"--spring.main.web-application-type=none", "--mutation-hooks.logging.enabled=true",
				"--logging.level.io.mutationhooks.logging=INFO")) {
			TestDatabase.clean(context.getBean(JdbcTemplate.class));
			User saved = context.getBean(UserRepository.class).save(new User("ann", null));
			context.getBean(UserRepository.class).deleteById(saved.getId());
			Account account = context.getBean(AccountRepository.class).save(Account.of("ann", "free"));

			assertThat(output).containsPattern("CREATE Account id=" + account.id() + ": done in [0-9.]+ ms")
				.contains("CREATE User id=null: start")
				.containsPattern("CREATE User id=" + saved.getId() + ": done in [0-9.]+ ms")
				.containsPattern("DELETE_ONE User id=" + saved.getId() + ": done in [0-9.]+ ms");
		}
	}

	@Test
	void loggingHookIsOffByDefault(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SpringApplication.run(TestApplication.class,
				"--spring.main.web-application-type=none", "--logging.level.io.mutationhooks.logging=INFO")) {
			TestDatabase.clean(context.getBean(JdbcTemplate.class));
			context.getBean(UserRepository.class).save(new User("ann", null));

			assertThat(output).doesNotContain("CREATE User");
		}
	}

}
