package io.mutationhooks.sample.avatars;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.mutationhooks.s3.ObjectKeys;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3References;

/**
 * The bucket configured as {@code mutation-hooks.s3.buckets.avatars}, through Spring Cloud AWS's S3 client. Keys are
 * checked as the starter checks references, so the app never writes an object a user could not refer to.
 */
@Component
public class AvatarBucket {

	/** The bucket's name in configuration, as {@code @S3Reference(bucket = "avatars")} names it. */
	static final String CONFIGURED_NAME = "avatars";

	private final S3Client s3;

	private final S3Bucket bucket;

	AvatarBucket(S3Client s3, S3References references) {
		this.s3 = s3;
		this.bucket = references.buckets().get(CONFIGURED_NAME);
		if (this.bucket == null) {
			throw new IllegalStateException("The sample needs the bucket mutation-hooks.s3.buckets." + CONFIGURED_NAME
					+ "; configured buckets: " + references.buckets().keySet());
		}
	}

	/** The keys in the bucket, under its prefix, in S3's order. */
	public List<String> keys() {
		return this.s3
			.listObjectsV2Paginator(request -> request.bucket(this.bucket.name()).prefix(this.bucket.prefix()))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	/**
	 * Stores an object, replacing one with the same key.
	 * @return {@code true} if the key was new, {@code false} if an object was replaced
	 * @throws InvalidAvatarKeyException if the key is not valid for the bucket
	 */
	public boolean put(String key, byte[] content, String contentType) {
		String checked = checked(key);
		boolean existed = exists(checked);
		this.s3.putObject(request -> request.bucket(this.bucket.name()).key(checked).contentType(contentType),
				RequestBody.fromBytes(content));
		return !existed;
	}

	/**
	 * The object with this key, or empty if there is none.
	 * @throws InvalidAvatarKeyException if the key is not valid for the bucket
	 */
	public Optional<ResponseBytes<GetObjectResponse>> get(String key) {
		String checked = checked(key);
		try {
			return Optional.of(this.s3.getObjectAsBytes(request -> request.bucket(this.bucket.name()).key(checked)));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
	}

	/** The bucket's real name in S3. */
	public String name() {
		return this.bucket.name();
	}

	private boolean exists(String key) {
		try {
			this.s3.headObject(request -> request.bucket(this.bucket.name()).key(key));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
	}

	private String checked(String key) {
		try {
			return ObjectKeys.keyOf(key, this.bucket);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidAvatarKeyException(key, ex.getMessage());
		}
	}

}
