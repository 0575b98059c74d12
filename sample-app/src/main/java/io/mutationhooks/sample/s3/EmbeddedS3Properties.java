package io.mutationhooks.sample.s3;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the S3-compatible server the sample starts for itself, under {@code sample.embedded-s3}, so that it
 * runs with nothing but a JDK.
 *
 * @param enabled Whether to start the server and point Spring Cloud AWS's S3 client at it.
 * @param port The port the server listens on, on 127.0.0.1. 0 picks a free one.
 * @param dataDir The directory the objects are stored in, one sub-directory per bucket. Created if missing.
 * @param accessKey The access key requests must be signed with.
 * @param secretKey The secret key requests must be signed with.
 */
@ConfigurationProperties("sample.embedded-s3")
public record EmbeddedS3Properties(@DefaultValue("true") boolean enabled, @DefaultValue("9000") int port,
		// A String, not a Path: binding a Path goes through the resource loader, whose s3:// resolver (Spring Cloud
		// AWS) asks for the S3 client, which needs this server started first.
		@DefaultValue("data/s3") String dataDir, String accessKey, String secretKey) {
}
