package io.mutationhooks.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A configuration mistake ends, in a real application, in Boot's "APPLICATION FAILED TO START" report with the
 * starter's Description and Action, not in a chain of bean-creation errors.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureReportEndToEndTests {

	@Test
	void aParallelismOfZeroEndsInBootsReportNamingTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--mutation-hooks.s3.verify.parallelism=0"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:\n\nProperty mutation-hooks.s3.verify.parallelism is set to '0': "
					+ "it must be at least 1")
			.contains("Action:\n\nSet mutation-hooks.s3.verify.parallelism to 1 or more, "
					+ "or remove it for its default.");
	}

	@Test
	void aTypoAtTheTopEndsInBootsReportNamingTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--mutation-hooks.loging.enabled=true"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: mutation-hooks.loging.enabled")
			.contains("The elements [mutation-hooks.loging.enabled] were left unbound.");
	}

	private static void run(String... args) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.run(args).close();
	}

}
