package io.mutationhooks.s3;

import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import io.mutationhooks.Op;
import io.mutationhooks.testapp.Member;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 reference exceptions quote references and keys escaped and cut in their messages, and give them as the
 * field held them through their getters.
 */
class S3ReferenceExceptionsUnitTests {

	private static final String FORGING = "users/x\n12:00:00.000 ERROR forged\u202E";

	private static final String MEGABYTE = "users/" + "x".repeat(1_000_000);

	@Test
	void aMissingObjectsKeyIsQuotedEscapedAndCut() {
		S3ObjectMissingException forging = new S3ObjectMissingException(Member.class, Op.CREATE, "avatarUrl",
				"avatars", FORGING);
		S3ObjectMissingException megabyte = new S3ObjectMissingException(Member.class, Op.CREATE, "avatarUrl",
				"avatars", MEGABYTE);

		assertThat(forging).hasMessage("CREATE of Member failed: avatarUrl refers to "
				+ "s3://avatars/users/x\\u000A12:00:00.000 ERROR forged\\u202E, which does not exist");
		assertThat(forging.getKey()).isEqualTo(FORGING);
		assertThat(forging.getReference()).isEqualTo(FORGING);
		assertThat(megabyte.getMessage()).hasSizeLessThan(500).contains("...(999806 more chars)");
		assertThat(megabyte.getKey()).isEqualTo(MEGABYTE);
	}

	@Test
	void aKeyThatCouldNotBeCheckedIsQuotedEscapedAndCut() {
		SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");

		S3CheckFailedException forging = new S3CheckFailedException(Member.class, Op.CREATE, "avatarUrl", "avatars",
				FORGING, timeout);

		assertThat(forging).hasMessage("CREATE of Member failed: could not check that "
				+ "s3://avatars/users/x\\u000A12:00:00.000 ERROR forged\\u202E (avatarUrl) exists: "
				+ "java.net.SocketTimeoutException: Read timed out")
			.hasCause(timeout);
		assertThat(forging.getKey()).isEqualTo(FORGING);
		assertThat(new S3CheckFailedException(Member.class, Op.CREATE, "avatarUrl", "avatars", MEGABYTE, timeout)
			.getMessage()).hasSizeLessThan(500).contains("...(999806 more chars)");
	}

	@Test
	void anInvalidReferenceIsQuotedEscapedAndCut() {
		InvalidS3ReferenceException forging = new InvalidS3ReferenceException(Member.class, Op.UPDATE_ONE,
				"avatarUrl", "avatars", FORGING, "it has a control character (U+000A) at 7");
		InvalidS3ReferenceException megabyte = new InvalidS3ReferenceException(Member.class, Op.UPDATE_ONE,
				"avatarUrl", "avatars", MEGABYTE, "the key is 1000006 bytes of UTF-8, more than 1024");

		assertThat(forging).hasMessage("UPDATE_ONE of Member failed: avatarUrl "
				+ "'users/x\\u000A12:00:00.000 ERROR forged\\u202E' is not a valid reference to bucket 'avatars': "
				+ "it has a control character (U+000A) at 7");
		assertThat(forging.getReference()).isEqualTo(FORGING);
		assertThat(megabyte.getMessage()).hasSizeLessThan(500).contains("...(999806 more chars)");
		assertThat(megabyte.getReference()).isEqualTo(MEGABYTE);
	}

}
