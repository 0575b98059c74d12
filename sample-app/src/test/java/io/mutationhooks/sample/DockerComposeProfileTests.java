package io.mutationhooks.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's Docker Compose support runs the repository's {@code docker-compose.yml} in the docker profile only:
 * the default profile needs nothing but a JDK (with the support on, it fails start-up for want of a compose file).
 */
class DockerComposeProfileTests {

	@Test
	void theDefaultProfileRunsNoDockerCompose() {
		assertThat(environment().getProperty("spring.docker.compose.enabled", Boolean.class, true)).isFalse();
	}

	@Test
	void theDockerProfileRunsTheRepositorysComposeFile() throws IOException {
		StandardEnvironment docker = environment("docker");

		assertThat(docker.getProperty("spring.docker.compose.enabled", Boolean.class, true)).isTrue();
		// Relative to the directory the app runs in: sample-app/, as for spring-boot:run and for these tests.
		Path composeFile = Path.of(docker.getProperty("spring.docker.compose.file", ""));
		assertThat(composeFile).isRegularFile();
		assertThat(Files.isSameFile(composeFile, Path.of("..", "docker-compose.yml"))).isTrue();
	}

	private static StandardEnvironment environment(String... profiles) {
		StandardEnvironment environment = new StandardEnvironment();
		ConfigDataEnvironmentPostProcessor.applyTo(environment, new DefaultResourceLoader(),
				new DefaultBootstrapContext(), profiles);
		return environment;
	}

}
