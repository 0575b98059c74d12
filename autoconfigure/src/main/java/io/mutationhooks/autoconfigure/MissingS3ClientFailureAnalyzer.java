package io.mutationhooks.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns entity fields referring to S3 objects without an {@code S3Client} bean into Boot's failure report. */
class MissingS3ClientFailureAnalyzer extends AbstractFailureAnalyzer<MissingS3ClientException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingS3ClientException cause) {
		String description = "Entity fields refer to S3 objects, but there is no S3Client bean, so the S3 sync is off "
				+ "and their objects would be neither checked on write nor deleted:\n\t"
				+ String.join("\n\t", cause.references());
		String action = "Depend on io.mutationhooks:mutation-hooks-s3-spring-boot-starter in place of "
				+ "mutation-hooks-spring-boot-starter (it brings Spring Cloud AWS's S3Client) and set "
				+ "spring.cloud.aws.region.static, or declare an S3Client bean of your own; or set "
				+ S3SyncProperties.PREFIX + ".enabled=false to leave these fields unchecked on purpose.";
		return new FailureAnalysis(description, action, cause);
	}

}
