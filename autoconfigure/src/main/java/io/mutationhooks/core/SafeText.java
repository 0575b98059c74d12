package io.mutationhooks.core;

/**
 * Makes a value that came from users or rows (an S3 reference, a key) safe to quote in a log line or an exception
 * message: it cannot start a new line, move the cursor, reorder text or fill the log.
 */
public final class SafeText {

	/** How many characters of a value are quoted before it is cut. */
	public static final int MAX_QUOTED_CHARS = 200;

	private SafeText() {
	}

	/**
	 * {@code value} with every character that could forge or hide log text escaped as {@code \}{@code uXXXX}: Unicode's
	 * control characters (C0, DEL and C1, among them U+0085 and U+009B), line and paragraph separators, format
	 * characters (bidirectional overrides, zero-width characters) and unpaired surrogates; a backslash is doubled so
	 * that an escape cannot be forged either. Values longer than {@value #MAX_QUOTED_CHARS} characters are cut, saying
	 * how much was left out.
	 * @param value the value, may be {@literal null}
	 * @return the escaped value, {@code "null"} for {@literal null}
	 */
	public static String quote(CharSequence value) {
		if (value == null) {
			return "null";
		}
		int length = value.length();
		int shown = Math.min(length, MAX_QUOTED_CHARS);
		if (shown < length && Character.isHighSurrogate(value.charAt(shown - 1))) {
			shown--; // never cut a pair in two
		}
		StringBuilder safe = null;
		for (int i = 0; i < shown; i++) {
			char c = value.charAt(i);
			boolean escape = c == '\\' || needsEscape(value, i, c);
			if (escape && safe == null) {
				safe = new StringBuilder(shown + 16).append(value, 0, i);
			}
			if (safe != null) {
				if (c == '\\') {
					safe.append("\\\\");
				}
				else if (escape) {
					safe.append(String.format("\\u%04X", (int) c));
				}
				else {
					safe.append(c);
				}
			}
		}
		if (safe == null && shown == length) {
			return value.toString();
		}
		if (safe == null) {
			safe = new StringBuilder(shown + 32).append(value, 0, shown);
		}
		if (shown < length) {
			safe.append("...(").append(length - shown).append(" more chars)");
		}
		return safe.toString();
	}

	private static boolean needsEscape(CharSequence value, int i, char c) {
		if (Character.isHighSurrogate(c)) {
			return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
		}
		if (Character.isLowSurrogate(c)) {
			return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
		}
		int type = Character.getType(c);
		return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR;
	}

}
