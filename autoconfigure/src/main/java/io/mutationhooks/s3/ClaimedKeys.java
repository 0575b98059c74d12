package io.mutationhooks.s3;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;

/**
 * The keys of one cleanup claim as its row stores them: the first 8 bytes of each key's SHA-256, sorted, 8 bytes
 * each, so that a claim of 1000 keys is one row of 8000 bytes rather than 1000 rows. Two keys sharing a hash can only
 * make a write be refused, or a delete be postponed, that need not be: never the other way round.
 */
final class ClaimedKeys {

	private final long[] sortedHashes;

	private ClaimedKeys(long[] sortedHashes) {
		this.sortedHashes = sortedHashes;
	}

	static ClaimedKeys of(Collection<String> keys) {
		long[] hashes = keys.stream().mapToLong(ClaimedKeys::hash).sorted().distinct().toArray();
		return new ClaimedKeys(hashes);
	}

	/** Reads keys stored with {@link #toBytes()}. */
	static ClaimedKeys fromBytes(byte[] stored) {
		if (stored.length % Long.BYTES != 0) {
			throw new IllegalArgumentException("Claimed keys are stored in 8-byte hashes, not in " + stored.length
					+ " bytes");
		}
		long[] hashes = new long[stored.length / Long.BYTES];
		ByteBuffer.wrap(stored).asLongBuffer().get(hashes);
		return new ClaimedKeys(hashes);
	}

	byte[] toBytes() {
		ByteBuffer bytes = ByteBuffer.allocate(this.sortedHashes.length * Long.BYTES);
		bytes.asLongBuffer().put(this.sortedHashes);
		return bytes.array();
	}

	/** Whether {@code key} is among these keys, or shares its hash with one of them. */
	boolean contains(String key) {
		return Arrays.binarySearch(this.sortedHashes, hash(key)) >= 0;
	}

	boolean isEmpty() {
		return this.sortedHashes.length == 0;
	}

	private static long hash(String key) {
		return ByteBuffer.wrap(sha256(key)).getLong();
	}

	/** The SHA-256 of a key's UTF-8 bytes: what leases and claims both find keys by. */
	static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

}
