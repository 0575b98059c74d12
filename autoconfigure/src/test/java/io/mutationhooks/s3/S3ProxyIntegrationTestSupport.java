package io.mutationhooks.s3;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The S3 sync tests against the in-process S3Proxy beyond the contract: one Spring context, empty member and album
 * tables (both refer to avatars, so a row left over would keep an object from being deleted) and an empty "avatars"
 * bucket before each test.
 */
abstract class S3ProxyIntegrationTestSupport extends S3IntegrationTestSupport {

	@DynamicPropertySource
	static void s3Proxy(DynamicPropertyRegistry registry) {
		S3ProxySyncIntegrationTests.s3Proxy(registry);
	}

	@BeforeEach
	void emptyMembersAndAvatars() {
		for (String table : new String[] { "member", "album_credit", "album_sticker", "album_page", "album_photo",
				"album" }) {
			this.jdbc.update("DELETE FROM " + table);
		}
		emptyBuckets(AVATARS);
		this.requests.reset();
	}

}
