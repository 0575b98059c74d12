package io.mutationhooks.core;

/**
 * Makes a value that came from users or rows (an S3 reference, a key) safe to quote in a log line or an exception
 * message: it cannot start a new line, move the cursor, reorder text or fill the log.
 */
public final class SafeText {

	/** How many characters of a value are quoted before it is cut. */
	public static final int MAX_QUOTED_CHARS = 200;

	/** How many characters of a message are kept before it is cut. */
	public static final int MAX_MESSAGE_CHARS = 2000;

	private SafeText() {
	}

	/**
	 * {@code value} with every character that could forge or hide log text escaped as {@code \}{@code uXXXX}: Unicode's
	 * control characters (C0, DEL and C1, among them U+0085 and U+009B), line and paragraph separators, format
	 * characters (bidirectional overrides, zero-width characters, tag characters outside the basic plane) and unpaired
	 * surrogates; a backslash is doubled so that an escape cannot be forged either. Values longer than
	 * {@value #MAX_QUOTED_CHARS} characters are cut, saying how much was left out.
	 * @param value the value, may be {@literal null}
	 * @return the escaped value, {@code "null"} for {@literal null}
	 */
	public static String quote(CharSequence value) {
		return escape(value, MAX_QUOTED_CHARS, true);
	}

	/**
	 * {@code message} with the same characters escaped as {@link #quote(CharSequence)} escapes, but backslashes kept
	 * as they are, for a message that may already hold values quoted with {@link #quote(CharSequence)} (they are not
	 * escaped twice), or whose parts no one can tell apart anyway, such as another exception's message. Messages
	 * longer than {@value #MAX_MESSAGE_CHARS} characters are cut, saying how much was left out.
	 * @param message the message, may be {@literal null}
	 * @return the escaped message, {@code "null"} for {@literal null}
	 */
	public static String message(CharSequence message) {
		return escape(message, MAX_MESSAGE_CHARS, false);
	}

	private static String escape(CharSequence value, int maxChars, boolean doubleBackslashes) {
		if (value == null) {
			return "null";
		}
		int length = value.length();
		int shown = Math.min(length, maxChars);
		if (shown < length && Character.isHighSurrogate(value.charAt(shown - 1))
				&& Character.isLowSurrogate(value.charAt(shown))) {
			shown--; // never cut a pair in two
		}
		StringBuilder safe = new StringBuilder(shown + 32);
		for (int i = 0; i < shown;) {
			// An unpaired surrogate comes back as itself, of type SURROGATE.
			int codePoint = Character.codePointAt(value, i);
			int end = i + Character.charCount(codePoint);
			if (codePoint == '\\' && doubleBackslashes) {
				safe.append("\\\\");
			}
			else if (needsEscape(codePoint)) {
				for (int j = i; j < end; j++) {
					safe.append(String.format("\\u%04X", (int) value.charAt(j)));
				}
			}
			else {
				safe.append(value, i, end);
			}
			i = end;
		}
		if (shown < length) {
			safe.append("...(").append(length - shown).append(" more chars)");
		}
		return safe.toString();
	}

	private static boolean needsEscape(int codePoint) {
		int type = Character.getType(codePoint);
		return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
	}

}
