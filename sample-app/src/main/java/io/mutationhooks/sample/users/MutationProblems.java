package io.mutationhooks.sample.users;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.mutationhooks.MutationException;
import io.mutationhooks.s3.InvalidS3ReferenceException;
import io.mutationhooks.s3.S3CheckFailedException;
import io.mutationhooks.s3.S3ObjectMissingException;
import io.mutationhooks.s3.S3ReferenceException;

/**
 * Turns writes the starter refused into {@code application/problem+json} responses whose {@code detail} says why:
 * a missing avatar is 422, an invalid reference 400, S3 out of reach 503, and a hook's business rule 409.
 */
@RestControllerAdvice
class MutationProblems {

	private static final Logger logger = LoggerFactory.getLogger(MutationProblems.class);

	@ExceptionHandler
	ProblemDetail objectMissing(S3ObjectMissingException ex) {
		ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "S3 object missing", ex);
		problem.setProperty("key", ex.getKey());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail invalidReference(InvalidS3ReferenceException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid S3 reference", ex);
	}

	@ExceptionHandler
	ProblemDetail checkFailed(S3CheckFailedException ex) {
		logger.warn("Refused a write because S3 could not be asked: {}", ex.getMessage());
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "S3 unavailable", ex);
	}

	@ExceptionHandler
	ProblemDetail refused(MutationException ex) {
		return problem(HttpStatus.CONFLICT, "Write refused", ex);
	}

	private static ProblemDetail problem(HttpStatus status, String title, MutationException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		problem.setProperty("entity", ex.getEntityType().getSimpleName());
		problem.setProperty("op", ex.getOp().name());
		if (ex instanceof S3ReferenceException reference) {
			problem.setProperty("field", reference.getField());
			problem.setProperty("bucket", reference.getBucket());
		}
		return problem;
	}

}
