package io.mutationhooks.autoconfigure;

import java.util.List;

/**
 * Entity fields refer to S3 objects but there is no {@code S3Client} bean to check and delete them with, reported by
 * {@link MissingS3ClientFailureAnalyzer}.
 */
class MissingS3ClientException extends IllegalStateException {

	private final List<String> references;

	private final boolean s3AutoConfigurationPresent;

	/**
	 * @param references the fields referring to S3 objects, each with where it is declared
	 * @param s3AutoConfigurationPresent whether Spring Cloud AWS's S3 auto-configuration, with the classes it needs,
	 * is on the class path: then the S3 starter is there, and its S3Client is switched off
	 */
	MissingS3ClientException(List<String> references, boolean s3AutoConfigurationPresent) {
		super("Entity fields refer to S3 objects " + references + ", but there is no S3Client bean");
		this.references = List.copyOf(references);
		this.s3AutoConfigurationPresent = s3AutoConfigurationPresent;
	}

	List<String> references() {
		return this.references;
	}

	boolean s3AutoConfigurationPresent() {
		return this.s3AutoConfigurationPresent;
	}

}
