package io.mutationhooks.sample.avatars;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Uploads, lists and serves the images of the avatars bucket. A key may have several segments
 * ({@code /avatars/users/a8m.png}), so a bucket with a prefix works too.
 */
@RestController
@RequestMapping("/avatars")
class AvatarController {

	private static final Logger logger = LoggerFactory.getLogger(AvatarController.class);

	private final AvatarBucket bucket;

	AvatarController(AvatarBucket bucket) {
		this.bucket = bucket;
	}

	@GetMapping
	List<String> keys() {
		return this.bucket.keys();
	}

	@GetMapping("/{*path}")
	ResponseEntity<byte[]> get(@PathVariable String path) {
		String key = keyOf(path);
		return this.bucket.get(key)
			.map(object -> ResponseEntity.ok()
				.contentType(contentTypeOf(object.response()))
				.cacheControl(CacheControl.noCache())
				// Only the Content-Type of an upload is checked: never let a browser run an object (an SVG, say)
				// as a page of this app.
				.header("X-Content-Type-Options", "nosniff")
				.header("Content-Security-Policy", "sandbox")
				.body(object.asByteArray()))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"There is no avatar '" + key + "' in bucket '" + this.bucket.name() + "'."));
	}

	/**
	 * Stores the request body, an image, under the key: 201 for a new key, 200 when an object was replaced. Any
	 * other Content-Type than {@code image/*} is refused with 415.
	 */
	@PutMapping(path = "/{*path}", consumes = "image/*")
	ResponseEntity<Void> put(@PathVariable String path, @RequestBody(required = false) byte[] content,
			@RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType, UriComponentsBuilder uris) {
		String key = keyOf(path);
		if (content == null || content.length == 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The upload of '" + key + "' is empty: send the image bytes as the request body.");
		}
		if (this.bucket.put(key, content, contentType)) {
			String location = "/avatars/" + UriUtils.encodePath(key, StandardCharsets.UTF_8);
			return ResponseEntity.created(uris.path(location).build(true).toUri()).build();
		}
		return ResponseEntity.ok().build();
	}

	@ExceptionHandler
	ProblemDetail invalidKey(InvalidAvatarKeyException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid avatar key");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail s3Failed(SdkException ex) {
		logger.warn("S3 request for bucket '{}' failed", this.bucket.name(), ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The request to S3 for bucket '" + this.bucket.name() + "' failed: " + ex.getMessage());
		problem.setTitle("S3 unavailable");
		return problem;
	}

	private static MediaType contentTypeOf(GetObjectResponse object) {
		return object.contentType() != null ? MediaType.parseMediaType(object.contentType())
				: MediaType.APPLICATION_OCTET_STREAM;
	}

	/** The key a {@code {*path}} capture names: it starts with the slash after {@code /avatars}. */
	private static String keyOf(String path) {
		return path.startsWith("/") ? path.substring(1) : path;
	}

}
