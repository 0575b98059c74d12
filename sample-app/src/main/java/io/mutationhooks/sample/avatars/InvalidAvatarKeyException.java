package io.mutationhooks.sample.avatars;

/** A key that is not a valid key of the avatars bucket; nothing is read or written for it. */
public class InvalidAvatarKeyException extends RuntimeException {

	InvalidAvatarKeyException(String key, String problem) {
		super("'" + printable(key) + "' is not a valid avatar key: " + problem + ".");
	}

	private static String printable(String key) {
		String printable = key.replaceAll("\\p{Cntrl}", "?");
		return printable.length() > 80 ? printable.substring(0, 77) + "..." : printable;
	}

}
