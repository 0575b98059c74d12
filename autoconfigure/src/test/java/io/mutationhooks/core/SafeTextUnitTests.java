package io.mutationhooks.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SafeText} quotes values from rows and users so that they cannot forge, hide or flood log lines.
 */
class SafeTextUnitTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			newline                        | 000A
			carriage return                | 000D
			next line (C1)                 | 0085
			control sequence introducer    | 009B
			line separator                 | 2028
			paragraph separator            | 2029
			right-to-left override         | 202E
			zero-width space               | 200B
			""")
	void charactersThatCouldForgeOrHideLogTextAreEscaped(String name, String hex) {
		char c = (char) Integer.parseInt(hex, 16);

		assertThat(SafeText.quote("users/x" + c + "ERROR forged")).isEqualTo("users/x\\u" + hex + "ERROR forged");
	}

	@Test
	void aHighSurrogateWithoutItsLowIsEscaped() {
		assertThat(SafeText.quote("users/\uD800x")).isEqualTo("users/\\uD800x");
		assertThat(SafeText.quote("users/\uD800")).isEqualTo("users/\\uD800");
	}

	@Test
	void aLowSurrogateWithoutItsHighIsEscaped() {
		assertThat(SafeText.quote("users/x\uDC00")).isEqualTo("users/x\\uDC00");
		assertThat(SafeText.quote("\uDC00users")).isEqualTo("\\uDC00users");
	}

	@Test
	void aValidSurrogatePairIsKept() {
		assertThat(SafeText.quote("avatars/\uD83D\uDE00.png")).isEqualTo("avatars/\uD83D\uDE00.png");
	}

	@Test
	void aFormatCharacterOutsideTheBasicPlaneIsEscaped() {
		// U+E0041, a tag character: invisible, it can smuggle text past a reader
		assertThat(SafeText.quote("users/x\uDB40\uDC41")).isEqualTo("users/x\\uDB40\\uDC41");
	}

	@Test
	void aBackslashIsDoubledSoThatNoEscapeCanBeForged() {
		assertThat(SafeText.quote("users\\u000Ax")).isEqualTo("users\\\\u000Ax");
	}

	@Test
	void plainTextIsQuotedAsItIs() {
		assertThat(SafeText.quote("avatars/a8m.png")).isEqualTo("avatars/a8m.png");
		assertThat(SafeText.quote(null)).isEqualTo("null");
	}

	@Test
	void aLongValueIsCutSayingHowMuchWasLeftOut() {
		String quoted = SafeText.quote("x".repeat(1_000_000));

		assertThat(quoted).isEqualTo("x".repeat(SafeText.MAX_QUOTED_CHARS) + "...(999800 more chars)");
	}

	@Test
	void aLongValueOfCharactersToEscapeStaysBounded() {
		String quoted = SafeText.quote("\n".repeat(1_000_000));

		assertThat(quoted).hasSizeLessThanOrEqualTo(6 * SafeText.MAX_QUOTED_CHARS + 32)
			.startsWith("\\u000A\\u000A")
			.endsWith("...(999800 more chars)")
			.doesNotContain("\n");
	}

	@Test
	void aCutNeverSplitsASurrogatePair() {
		String value = "x".repeat(SafeText.MAX_QUOTED_CHARS - 1) + "\uD83D\uDE00" + "y".repeat(10);

		String quoted = SafeText.quote(value);

		assertThat(quoted).isEqualTo("x".repeat(SafeText.MAX_QUOTED_CHARS - 1) + "...(12 more chars)")
			.doesNotContain("\\u");
	}

	@Test
	void aCutKeepsAPairThatEndsExactlyAtTheLimit() {
		String value = "x".repeat(SafeText.MAX_QUOTED_CHARS - 2) + "\uD83D\uDE00" + "y";

		assertThat(SafeText.quote(value))
			.isEqualTo("x".repeat(SafeText.MAX_QUOTED_CHARS - 2) + "\uD83D\uDE00...(1 more chars)");
	}

	@Test
	void aMessageKeepsItsBackslashesSoThatQuotedValuesAreNotEscapedTwice() {
		String message = "avatarUrl '" + SafeText.quote("users/x\nFORGED") + "' is not valid";

		assertThat(SafeText.message(message)).isEqualTo("avatarUrl 'users/x\\u000AFORGED' is not valid");
		assertThat(SafeText.message("duplicate key\n  Detail: email=a\u2028b"))
			.isEqualTo("duplicate key\\u000A  Detail: email=a\\u2028b");
	}

	@Test
	void aLongMessageIsCutSayingHowMuchWasLeftOut() {
		assertThat(SafeText.message("x".repeat(1_000_000)))
			.isEqualTo("x".repeat(SafeText.MAX_MESSAGE_CHARS) + "...(998000 more chars)");
	}

}
