package io.mutationhooks.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks starter brings no AWS, so that an application using hooks only needs no AWS setting; the S3 starter brings
 * it and the hooks starter. (The library's own AWS dependencies are optional, so nothing AWS comes transitively.)
 */
class StartersTests {

	private static final Path STARTERS = Path.of("..", "starter");

	@Test
	void theHooksStarterBringsNoAws() throws IOException {
		assertThat(pom("mutation-hooks-spring-boot-starter")).doesNotContain("io.awspring")
			.doesNotContain("software.amazon")
			.contains("<artifactId>mutation-hooks-spring-boot-autoconfigure</artifactId>");
	}

	@Test
	void theS3StarterBringsTheHooksStarterAndSpringCloudAwsS3() throws IOException {
		assertThat(pom("mutation-hooks-s3-spring-boot-starter"))
			.contains("<artifactId>mutation-hooks-spring-boot-starter</artifactId>")
			.contains("<artifactId>spring-cloud-aws-starter-s3</artifactId>");
	}

	@Test
	void theLibraryDependsOnAwsOnlyOptionally() throws IOException {
		String pom = Files.readString(Path.of("pom.xml"));
		assertThat(pom.split("<dependency>")).filteredOn(dependency -> dependency.contains("software.amazon.awssdk")
				|| dependency.contains("io.awspring.cloud"))
			.isNotEmpty()
			.allSatisfy(dependency -> assertThat(dependency).containsAnyOf("<optional>true</optional>",
					"<scope>test</scope>"));
	}

	private static String pom(String starter) throws IOException {
		return Files.readString(STARTERS.resolve(starter).resolve("pom.xml"));
	}

}
