package io.mutationhooks.autoconfigure;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the AWS SDK's "Unable to load region" at the creation of Spring Cloud AWS's S3 client into Boot's failure
 * report naming the property to set, or the starter to use when the application does not use S3. Matches by name, so
 * that it loads without the AWS SDK on the class path.
 */
class MissingAwsRegionFailureAnalyzer implements FailureAnalyzer {

	private static final String SDK_CLIENT_EXCEPTION = "software.amazon.awssdk.core.exception.SdkClientException";

	/** Where Spring Cloud AWS declares its S3 beans (the client, its builder, the async client, the presigner). */
	private static final String S3_AUTO_CONFIGURATIONS = "io/awspring/cloud/autoconfigure/s3/";

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		if (!createsS3Client(failure)) {
			// Another AWS client (SQS, DynamoDB): Boot's own report, not one about the S3 sync.
			return null;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getClass().getName().equals(SDK_CLIENT_EXCEPTION) && cause.getMessage() != null
					&& cause.getMessage().startsWith("Unable to load region")) {
				return new FailureAnalysis("Spring Cloud AWS's S3Client, which the S3 sync uses, needs an AWS region, "
						+ "and none is set (the AWS SDK found none in spring.cloud.aws.region.static, AWS_REGION, "
						+ "aws.region, the AWS profile or the EC2 metadata).",
						"Set spring.cloud.aws.region.static, such as spring.cloud.aws.region.static=eu-west-1. If the "
								+ "application does not use S3, depend on io.mutationhooks:mutation-hooks-spring-boot-"
								+ "starter in place of mutation-hooks-s3-spring-boot-starter: it needs no AWS setting.",
						cause);
			}
		}
		return null;
	}

	/** Whether {@code failure} is the creation of one of Spring Cloud AWS's S3 beans. */
	private static boolean createsS3Client(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BeanCreationException creation && creation.getResourceDescription() != null
					&& creation.getResourceDescription().replace('.', '/').contains(S3_AUTO_CONFIGURATIONS)) {
				return true;
			}
		}
		return false;
	}

}
