package io.mutationhooks.s3;

import java.nio.charset.StandardCharsets;

import io.mutationhooks.core.SafeText;

/**
 * Turns the value of a reference field into an object key of its bucket, refusing anything that could make the
 * starter check or delete an object outside the bucket and its prefix. No S3 call is made for a refused reference.
 */
public final class ObjectKeys {

	/** S3's limit on the length of a key. */
	public static final int MAX_KEY_BYTES = 1024;

	private ObjectKeys() {
	}

	/**
	 * The key a reference names in {@code bucket}.
	 * @param reference a key, or {@code s3://bucket/key} with the bucket's real name
	 * @param bucket the bucket the field is bound to
	 * @return the key
	 * @throws IllegalArgumentException saying what is wrong with the reference
	 */
	public static String keyOf(String reference, S3Bucket bucket) {
		if (reference == null || reference.isEmpty()) {
			throw new IllegalArgumentException("it is empty");
		}
		String key = reference;
		if (reference.startsWith("s3://")) {
			String rest = reference.substring("s3://".length());
			// The bucket's own name first: an access point's ARN, which names a bucket too, has a '/' in it.
			if (rest.startsWith(bucket.name() + "/")) {
				key = rest.substring(bucket.name().length() + 1);
			}
			else {
				int slash = rest.indexOf('/');
				String named = slash < 0 ? rest : rest.substring(0, slash);
				if (!named.equals(bucket.name())) {
					throw new IllegalArgumentException(
							"it names bucket '" + SafeText.quote(named) + "', not '" + bucket.name() + "'");
				}
				key = "";
			}
			if (key.isEmpty()) {
				throw new IllegalArgumentException("it names no key");
			}
		}
		int bytes = key.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_KEY_BYTES) {
			throw new IllegalArgumentException("the key is " + bytes + " bytes of UTF-8, more than " + MAX_KEY_BYTES);
		}
		refuseCharactersS3CannotTakeAsTheyAre(key, reference.length() - key.length());
		for (String segment : key.split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				throw new IllegalArgumentException("it has a '" + segment + "' segment");
			}
		}
		if (!key.startsWith(bucket.prefix())) {
			throw new IllegalArgumentException("it is outside the prefix '" + bucket.prefix() + "'");
		}
		return key;
	}

	/**
	 * Control characters have no place in a key; an unpaired surrogate is sent as {@code ?}, so it would name
	 * another object; a character outside XML 1.0's {@code Char} makes the whole DeleteObjects request malformed.
	 * Positions are counted in the reference.
	 */
	private static void refuseCharactersS3CannotTakeAsTheyAre(String key, int offsetInReference) {
		for (int i = 0; i < key.length();) {
			char c = key.charAt(i);
			int codePoint = key.codePointAt(i);
			String problem = Character.isSurrogate(c) && Character.charCount(codePoint) == 1 ? "an unpaired surrogate"
					: Character.isISOControl(c) ? "a control character"
					: !isXmlChar(codePoint) ? "a character XML 1.0 cannot carry" : null;
			if (problem != null) {
				throw new IllegalArgumentException("it has " + problem + " (" + String.format("U+%04X", (int) c)
						+ ") at " + (offsetInReference + i));
			}
			i += Character.charCount(codePoint);
		}
	}

	/** XML 1.0's {@code Char}: what a DeleteObjects request body can carry. */
	private static boolean isXmlChar(int codePoint) {
		return codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD || codePoint >= 0x20 && codePoint <= 0xD7FF
				|| codePoint >= 0xE000 && codePoint <= 0xFFFD || codePoint >= 0x10000 && codePoint <= 0x10FFFF;
	}

}
