package io.mutationhooks.s3;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;

/**
 * Counts what the auto-configured S3 client sends, and the keys it deletes, through Spring Cloud AWS's customizer
 * hook.
 */
@TestConfiguration(proxyBeanMethods = false)
public class CountingS3ClientConfiguration {

	@Bean
	S3RequestCounter s3RequestCounter() {
		return new S3RequestCounter();
	}

	@Bean
	S3DeletedKeys s3DeletedKeys() {
		return new S3DeletedKeys();
	}

	@Bean
	S3ClientCustomizer countingS3ClientCustomizer(S3RequestCounter counter, S3DeletedKeys deletedKeys) {
		return builder -> builder.overrideConfiguration(builder.overrideConfiguration()
			.toBuilder()
			.addExecutionInterceptor(counter)
			.addExecutionInterceptor(deletedKeys)
			.build());
	}

}
