package io.mutationhooks.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns entity fields referring to S3 objects without an {@code S3Client} bean into Boot's failure report, which says
 * to use the S3 starter, or, when the S3 starter is there, to switch its S3Client back on.
 */
class MissingS3ClientFailureAnalyzer extends AbstractFailureAnalyzer<MissingS3ClientException> {

	/** Spring Cloud AWS's auto-configuration of the S3Client, which the S3 starter brings. */
	static final String S3_AUTO_CONFIGURATION = "io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingS3ClientException cause) {
		String description = "Entity fields refer to S3 objects, but there is no S3Client bean, so the S3 sync is off "
				+ "and their objects would be neither checked on write nor deleted:\n\t"
				+ String.join("\n\t", cause.references());
		String action = (cause.s3AutoConfigurationPresent()
				? "Spring Cloud AWS's S3 auto-configuration is on the class path but made no S3Client: remove "
						+ "spring.cloud.aws.s3.enabled=false, or the exclusion of " + S3_AUTO_CONFIGURATION
						+ ", and set an AWS region such as spring.cloud.aws.region.static=eu-west-1"
				: "Depend on io.mutationhooks:mutation-hooks-s3-spring-boot-starter in place of "
						+ "mutation-hooks-spring-boot-starter (it brings Spring Cloud AWS's S3Client) and set "
						+ "spring.cloud.aws.region.static")
				+ ", or declare an S3Client bean of your own; or set " + S3SyncProperties.PREFIX
				+ ".enabled=false to leave these fields unchecked on purpose.";
		return new FailureAnalysis(description, action, cause);
	}

}
