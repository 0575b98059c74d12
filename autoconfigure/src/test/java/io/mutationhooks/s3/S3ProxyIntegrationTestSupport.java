package io.mutationhooks.s3;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The S3 sync tests against the in-process S3Proxy beyond the contract: one Spring context, an empty member table
 * and an empty "avatars" bucket before each test.
 */
abstract class S3ProxyIntegrationTestSupport extends S3IntegrationTestSupport {

	@DynamicPropertySource
	static void s3Proxy(DynamicPropertyRegistry registry) {
		S3ProxySyncIntegrationTests.s3Proxy(registry);
	}

	@BeforeEach
	void emptyMembersAndAvatars() {
		this.jdbc.update("DELETE FROM member");
		emptyBuckets(AVATARS);
		this.requests.reset();
	}

}
