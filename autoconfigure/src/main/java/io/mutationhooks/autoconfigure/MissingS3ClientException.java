package io.mutationhooks.autoconfigure;

import java.util.List;

/**
 * Entity fields refer to S3 objects but there is no {@code S3Client} bean to check and delete them with, reported by
 * {@link MissingS3ClientFailureAnalyzer}.
 */
class MissingS3ClientException extends IllegalStateException {

	private final List<String> references;

	/** @param references the fields referring to S3 objects, each with where it is declared */
	MissingS3ClientException(List<String> references) {
		super("Entity fields refer to S3 objects " + references + ", but there is no S3Client bean");
		this.references = List.copyOf(references);
	}

	List<String> references() {
		return this.references;
	}

}
