package io.mutationhooks.sample.s3;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3References;

/**
 * Starts the embedded S3 server, points Spring Cloud AWS's S3 client at it, and creates there every bucket
 * configured under {@code mutation-hooks.s3.buckets}; {@code sample.embedded-s3.enabled=false} turns it all off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "sample.embedded-s3.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EmbeddedS3Properties.class)
class EmbeddedS3Configuration {

	@Bean(initMethod = "start", destroyMethod = "stop")
	EmbeddedS3Server embeddedS3Server(EmbeddedS3Properties properties) {
		return new EmbeddedS3Server(properties);
	}

	/**
	 * Depends on the server, so the server has started, and its port is known, before the client is built. Path
	 * style is set here and nowhere else: setting it also with spring.cloud.aws.s3.path-style-access-enabled fails
	 * start-up.
	 */
	@Bean
	S3ClientCustomizer embeddedS3ClientCustomizer(EmbeddedS3Server server) {
		return builder -> builder.endpointOverride(server.endpoint()).forcePathStyle(true);
	}

	/**
	 * Creates the buckets once every bean exists, before the app takes requests. Not in the server's own start-up:
	 * the buckets come from the JDBC mapping context, whose class scanning loads resources, and Spring Cloud AWS's
	 * s3:// resource resolver asks for the S3 client on every load: a cycle back to this server.
	 */
	@Bean
	SmartInitializingSingleton embeddedS3Buckets(EmbeddedS3Server server, S3References references) {
		return () -> server.createBuckets(references.buckets().values().stream().map(S3Bucket::name).toList());
	}

}
