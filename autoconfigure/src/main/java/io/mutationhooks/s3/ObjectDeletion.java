package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import io.mutationhooks.core.SafeText;

/**
 * Deletes objects with DeleteObjects, up to 1000 keys a request, and tells which keys failed and whether a retry may
 * help: server errors, throttling, I/O and timeouts may pass; a 4xx answer does not. A request refused as a whole for
 * what one of its keys is (a key XML cannot carry, say) is split in two, and so on, until the keys at fault stand
 * alone, so that no valid key is held back by another.
 */
public final class ObjectDeletion {

	/** S3's limit of keys in one DeleteObjects request. */
	public static final int MAX_KEYS_PER_REQUEST = 1000;

	/** Error codes of S3 that may pass on a later try, although some come with a 4xx status. */
	private static final Set<String> TRANSIENT_ERROR_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
			"RequestTimeout", "OperationAborted", "Throttling", "ThrottlingException", "RequestLimitExceeded",
			"TooManyRequests", "ExpiredToken", "TokenRefreshRequired", "RequestTimeTooSkewed");

	/** Codes of a whole request refused for what one of its keys is; unknown codes count too, to be safe. */
	private static final Set<String> KEY_ERROR_CODES = Set.of("MalformedXML", "InvalidArgument", "KeyTooLongError",
			"InvalidRequest", "InvalidURI", "UnexpectedContent");

	private static final Logger logger = LoggerFactory.getLogger(ObjectDeletion.class);

	private final S3Client s3;

	private final AwsRequestOverrideConfiguration requestOverrides;

	/**
	 * @param s3 the client
	 * @param requestOverrides applied to every request, to bound it in time without changing the client
	 */
	public ObjectDeletion(S3Client s3, AwsRequestOverrideConfiguration requestOverrides) {
		this.s3 = Objects.requireNonNull(s3, "s3 must not be null");
		this.requestOverrides = Objects.requireNonNull(requestOverrides, "requestOverrides must not be null");
	}

	/**
	 * A key that was not deleted, or may not have been.
	 * @param reason what S3 or the client said
	 * @param permanent whether S3 refused it for good, so that no retry can help
	 * @param answered whether S3 answered that it did not delete the key, for good; without an answer (a timeout, a
	 * lost connection, a server error), or with a transient error for the key, it may have been deleted
	 */
	public record Failure(String reason, boolean permanent, boolean answered) {
	}

	/**
	 * Deletes {@code keys} from {@code bucket}.
	 * @return the keys that failed, with why; every other key is deleted (or was not there)
	 */
	public Map<String, Failure> delete(S3Bucket bucket, List<String> keys) {
		Map<String, Failure> failed = new LinkedHashMap<>();
		List<String> distinct = keys.stream().distinct().toList();
		for (int from = 0; from < distinct.size(); from += MAX_KEYS_PER_REQUEST) {
			deleteOrSplit(bucket, distinct.subList(from, Math.min(from + MAX_KEYS_PER_REQUEST, distinct.size())), failed);
		}
		return failed;
	}

	private void deleteOrSplit(S3Bucket bucket, List<String> keys, Map<String, Failure> failed) {
		DeleteObjectsResponse response;
		try {
			List<ObjectIdentifier> objects = new ArrayList<>(keys.size());
			keys.forEach(key -> objects.add(ObjectIdentifier.builder().key(key).build()));
			response = this.s3.deleteObjects(request -> request.bucket(bucket.name())
				.delete(delete -> delete.objects(objects).quiet(true))
				.overrideConfiguration(this.requestOverrides));
		}
		catch (RuntimeException ex) {
			boolean permanent = refusedForGood(ex);
			if (permanent && keys.size() > 1 && refusedForAKey(ex)) {
				int half = keys.size() / 2;
				deleteOrSplit(bucket, keys.subList(0, half), failed);
				deleteOrSplit(bucket, keys.subList(half, keys.size()), failed);
			}
			else {
				keys.forEach(key -> failed.put(key, new Failure(ex.toString(), permanent, permanent)));
			}
			return;
		}
		for (S3Error error : response.errors()) {
			String reason = error.code() + ": " + error.message();
			if (error.key() == null) {
				logger.warn("S3 answered an error naming no key while deleting {} key(s) of bucket {}: {}", keys.size(),
						SafeText.quote(bucket.name()), SafeText.quote(reason));
				continue;
			}
			boolean permanent = error.code() != null && !TRANSIENT_ERROR_CODES.contains(error.code());
			// A transient error (InternalError, say) does not tell that the key was left alone: it may be gone.
			failed.put(error.key(), new Failure(reason, permanent, permanent));
		}
	}

	/**
	 * Whether a whole request was refused for what one of its keys is (a key XML cannot carry, or too long), so that
	 * splitting it finds the key; other refusals (access denied, no such bucket) hold for every key alike.
	 */
	private static boolean refusedForAKey(RuntimeException ex) {
		AwsErrorDetails details = ex instanceof AwsServiceException answer ? answer.awsErrorDetails() : null;
		String code = details != null ? details.errorCode() : null;
		return code == null || KEY_ERROR_CODES.contains(code);
	}

	/** Whether S3 answered with a 4xx that no retry can change; throttling, timeouts and 5xx may pass later. */
	static boolean refusedForGood(RuntimeException ex) {
		if (!(ex instanceof AwsServiceException answer)) {
			return false;
		}
		int status = answer.statusCode();
		AwsErrorDetails details = answer.awsErrorDetails();
		String code = details != null ? details.errorCode() : null;
		return status >= 400 && status < 500 && status != 408 && status != 429 && !answer.isThrottlingException()
				&& !answer.isClockSkewException() && !TRANSIENT_ERROR_CODES.contains(code);
	}

}
