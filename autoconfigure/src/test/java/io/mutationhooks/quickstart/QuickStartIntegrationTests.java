package io.mutationhooks.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.MutationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The README's quick start, built and run as written: its entity, repository, table, hooks and properties are the
 * sources of this package (and {@code quickstart/} in the test resources), and the README quotes them, which the last
 * test checks, so that the quick start cannot drift from code that compiles and works.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickStartIntegrationTests {

	private static final Path QUICK_START_SOURCES = Path.of("src/test/java/io/mutationhooks/quickstart");

	private static final Path QUICK_START_RESOURCES = Path.of("src/test/resources/quickstart");

	@Test
	void aCustomerWithoutANameIsRefusedAndNothingIsWritten() {
		try (ConfigurableApplicationContext app = quickStart()) {
			CustomerRepository customers = app.getBean(CustomerRepository.class);
			assertThat(app.getBeanNamesForType(S3Client.class)).as("S3 clients of the hooks-only starter").isEmpty();

			assertThatExceptionOfType(MutationException.class).isThrownBy(() -> customers.save(new Customer(null, null)))
				.withMessage("CREATE of Customer failed in hook 'requireName': a customer needs a name");
			assertThat(customers.count()).isZero();
			assertThat(customers.save(new Customer(null, "Ada")).id()).isNotNull();
		}
	}

	@Test
	void deletesAreLoggedByTheSecondHookAndEveryWriteByTheLoggingHook(CapturedOutput output) {
		try (ConfigurableApplicationContext app = quickStart()) {
			CustomerRepository customers = app.getBean(CustomerRepository.class);
			Customer ada = customers.save(new Customer(null, "Ada"));
			customers.deleteById(ada.id());

			assertThat(output).contains("CREATE Customer id=null: start")
				.contains("CREATE Customer id=" + ada.id() + ": done in")
				.contains("deleting Customer [" + ada.id() + "]");
		}
	}

	@Test
	void theReadmeQuotesTheQuickStartAsItIsBuiltHere() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		String quickStart = readme.substring(readme.indexOf("## Quick start"),
				readme.indexOf("\n## ", readme.indexOf("## Quick start")));
		List<String> sources = new ArrayList<>();
		try (Stream<Path> files = Stream.concat(Files.list(QUICK_START_SOURCES), Files.list(QUICK_START_RESOURCES))) {
			for (Path file : files.filter(file -> !file.getFileName().toString().endsWith("Tests.java")).toList()) {
				sources.add(normalized(Files.readString(file)));
			}
		}
		String starterPom = Files.readString(Path.of("../starter/mutation-hooks-spring-boot-starter/pom.xml"));

		Matcher blocks = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL).matcher(quickStart);
		int quoted = 0;
		while (blocks.find()) {
			String language = blocks.group(1);
			String block = normalized(blocks.group(2));
			if (language.equals("xml")) {
				Matcher artifact = Pattern.compile("<artifactId>(.*?)</artifactId>").matcher(block);
				assertThat(artifact.find()).as("the dependency block names an artifact").isTrue();
				assertThat(starterPom).contains("<artifactId>" + artifact.group(1) + "</artifactId>");
				continue;
			}
			assertThat(sources).as("a source of the quick start holding the README's %s block:%n%s", language, block)
				.anyMatch(source -> source.contains(block));
			quoted++;
		}
		assertThat(quoted).as("README blocks quoted from the quick start's sources").isGreaterThanOrEqualTo(5);
	}

	/** Runs the quick start's application with its own properties only, on a database of its own. */
	private static ConfigurableApplicationContext quickStart() {
		List<String> args = new ArrayList<>(List.of("--spring.config.location=classpath:quickstart/application.properties",
				// Boot's default, classpath:schema.sql, is src/main/resources/schema.sql in the README.
				"--spring.sql.init.schema-locations=classpath:quickstart/schema.sql",
				"--spring.datasource.url=jdbc:h2:mem:quickstart-" + UUID.randomUUID(),
				// Boot's default, which other test contexts of this JVM may have left at WARN.
				"--logging.level.root=INFO"));
		// The classes of the hooks-only starter: this module's tests also see the S3 starter's.
		ClassLoader hooksStarter = new FilteredClassLoader("software.amazon.awssdk.services.s3", "io.awspring.cloud.s3");
		return new SpringApplicationBuilder(QuickStartApplication.class).web(WebApplicationType.NONE)
			.resourceLoader(new DefaultResourceLoader(hooksStarter))
			.run(args.toArray(String[]::new));
	}

	/** The lines of {@code text} without their indentation or trailing spaces, blank lines left out. */
	private static String normalized(String text) {
		return text.lines().map(String::strip).filter(line -> !line.isEmpty()).reduce("", (all, line) -> all + line + "\n");
	}

}
