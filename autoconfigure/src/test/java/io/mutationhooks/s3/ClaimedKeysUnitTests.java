package io.mutationhooks.s3;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** How a claim stores its keys in one column, and finds them again. */
class ClaimedKeysUnitTests {

	@Test
	void aThousandKeysAreStoredInEightThousandBytesAndEachIsFoundAgain() {
		List<String> keys = IntStream.range(0, 1000).mapToObj(i -> "avatars/" + i + ".png").toList();

		byte[] stored = ClaimedKeys.of(keys).toBytes();
		ClaimedKeys read = ClaimedKeys.fromBytes(stored);

		assertThat(stored).hasSize(8000);
		assertThat(keys).allMatch(read::contains);
		assertThat(read.contains("avatars/1000.png")).isFalse();
		assertThat(read.contains("avatars/0.PNG")).isFalse();
	}

	@Test
	void aKeyGivenTwiceIsStoredOnce() {
		assertThat(ClaimedKeys.of(List.of("a.png", "a.png", "b.png")).toBytes()).hasSize(16);
	}

	@Test
	void storedBytesThatAreNotWholeHashesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClaimedKeys.fromBytes(new byte[12]))
			.withMessageContaining("12 bytes");
	}

}
