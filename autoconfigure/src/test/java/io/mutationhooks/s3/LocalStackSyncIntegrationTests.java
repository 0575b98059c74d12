package io.mutationhooks.s3;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.TestPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The S3 sync against LocalStack's S3, for machines with Docker; skipped where there is no Docker engine. The
 * container is a service connection: Spring Cloud AWS takes its endpoint, region and keys from it.
 */
@Testcontainers(disabledWithoutDocker = true)
// A bucket in the host name (avatars.localhost) does not resolve everywhere; the connection cannot say so.
@TestPropertySource(properties = "spring.cloud.aws.s3.path-style-access-enabled=true")
class LocalStackSyncIntegrationTests extends S3SyncContractTests {

	@Container
	@ServiceConnection
	static final LocalStackContainer localStack = new LocalStackContainer(
			DockerImageName.parse("localstack/localstack:4.14.0"))
		.withServices("s3");

}
