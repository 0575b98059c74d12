package io.mutationhooks.s3;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The S3 sync against LocalStack's S3, for machines with Docker; skipped where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackSyncIntegrationTests extends S3SyncContractTests {

	@Container
	static final LocalStackContainer localStack = new LocalStackContainer(
			DockerImageName.parse("localstack/localstack:4.14.0"))
		.withServices("s3");

	@DynamicPropertySource
	static void localStack(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.s3.endpoint", () -> localStack.getEndpoint().toString());
		registry.add("spring.cloud.aws.s3.path-style-access-enabled", () -> "true");
		registry.add("spring.cloud.aws.region.static", localStack::getRegion);
		registry.add("spring.cloud.aws.credentials.access-key", localStack::getAccessKey);
		registry.add("spring.cloud.aws.credentials.secret-key", localStack::getSecretKey);
	}

}
