package io.mutationhooks.s3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ObjectKeys} refuses, before any S3 call, every key S3 would not receive as it is stored: a key the SDK
 * would send as another key, or that DeleteObjects' XML cannot carry.
 */
class ObjectKeysUnitTests {

	private static final S3Bucket AVATARS = new S3Bucket("avatars", "avatars", "", true, true);

	@Test
	void aBucketNamedByAnAccessPointArnTakesKeysInBothForms() {
		String arn = "arn:aws:s3:us-east-1:123456789012:accesspoint/avatars-ap";
		S3Bucket accessPoint = new S3Bucket("avatars", arn, "", true, true);

		assertThat(ObjectKeys.keyOf("users/a.png", accessPoint)).isEqualTo("users/a.png");
		assertThat(ObjectKeys.keyOf("s3://" + arn + "/users/a.png", accessPoint)).isEqualTo("users/a.png");
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf("s3://" + arn + "/", accessPoint))
			.withMessage("it names no key");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ObjectKeys.keyOf("s3://avatars/users/a.png", accessPoint))
			.withMessage("it names bucket 'avatars', not '" + arn + "'");
	}

	@Test
	void aUriWithoutAKeyNamesNone() {
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf("s3://avatars", AVATARS))
			.withMessage("it names no key");
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf("s3://avatars/", AVATARS))
			.withMessage("it names no key");
	}

	@Test
	void anUnpairedHighSurrogateIsRefusedSayingWhereAndWhich() {
		// The SDK would send "users/?x", another row's object.
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf("users/\uD800x", AVATARS))
			.withMessage("it has an unpaired surrogate (U+D800) at 6");
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf("users/x\uDBFF", AVATARS))
			.withMessage("it has an unpaired surrogate (U+DBFF) at 7");
	}

	@Test
	void anUnpairedLowSurrogateIsRefusedSayingWhereAndWhich() {
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf("users/\uDC00x", AVATARS))
			.withMessage("it has an unpaired surrogate (U+DC00) at 6");
		// a pair in the wrong order is two unpaired surrogates
		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf("s3://avatars/x\uDE00\uD83D", AVATARS))
			.withMessage("it has an unpaired surrogate (U+DE00) at 14");
	}

	@Test
	void aSurrogatePairIsAnOrdinaryCharacterOfAKey() {
		assertThat(ObjectKeys.keyOf("users/\uD83D\uDE00.png", AVATARS)).isEqualTo("users/\uD83D\uDE00.png");
		assertThat(ObjectKeys.keyOf("users/\uDBFF\uDFFF", AVATARS)).isEqualTo("users/\uDBFF\uDFFF");
	}

	@ParameterizedTest(name = "U+{0}")
	@CsvSource({ "FFFE", "FFFF" })
	void aCharacterXmlCannotCarryIsRefused(String hex) {
		String key = "users/x" + (char) Integer.parseInt(hex, 16);

		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf(key, AVATARS))
			.withMessage("it has a character XML 1.0 cannot carry (U+" + hex + ") at 7");
	}

	@Test
	void charactersAtTheEdgesOfXmlsRangeAreKept() {
		for (String key : new String[] { "a\uD7FF", "a\uE000", "a\uFFFD", "a\uD800\uDC00", "a " }) {
			assertThat(ObjectKeys.keyOf(key, AVATARS)).isEqualTo(key);
		}
	}

	@ParameterizedTest(name = "U+{0}")
	@CsvSource({ "0000", "0009", "000A", "000D", "001F", "007F", "0085", "009F" })
	void controlCharactersAreStillRefused(String hex) {
		String key = "users/x" + (char) Integer.parseInt(hex, 16);

		assertThatIllegalArgumentException().isThrownBy(() -> ObjectKeys.keyOf(key, AVATARS))
			.withMessage("it has a control character (U+" + hex + ") at 7");
	}

	@Test
	void aBucketNamedInAReferenceIsQuotedSafelyInTheProblem() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ObjectKeys.keyOf("s3://evil\n12:00 ERROR forged/k", AVATARS))
			.withMessage("it names bucket 'evil\\u000A12:00 ERROR forged', not 'avatars'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ObjectKeys.keyOf("s3://" + "b".repeat(1_000_000) + "/k", AVATARS))
			.satisfies(ex -> assertThat(ex.getMessage()).hasSizeLessThan(300).contains("(999800 more chars)"));
	}

}
