package io.mutationhooks.effects.scheduler;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyUnitTests {

	private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), 50);

	@Test
	void theWaitDoublesWithEachAttemptAndKeepsARandomHalfOfItAsJitter() {
		for (int attempts = 1; attempts <= 9; attempts++) {
			long full = 1000L << (attempts - 1);
			for (int i = 0; i < 200; i++) {
				assertThat(this.policy.backoff(attempts).toMillis()).isBetween(full - full / 2, full);
			}
		}
	}

	@Test
	void theWaitIsCappedEvenAfterVeryManyAttempts() {
		for (int attempts : new int[] { 11, 30, 64, 1000, Integer.MAX_VALUE }) {
			assertThat(this.policy.backoff(attempts)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
		}
	}

	@Test
	void jitterSpreadsInstancesThatFailedTogether() {
		assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> this.policy.backoff(10)).distinct().count())
			.isGreaterThan(10);
	}

	@Test
	void isExhaustedAtItsLastAttempt() {
		assertThat(this.policy.exhausted(49)).isFalse();
		assertThat(this.policy.exhausted(50)).isTrue();
	}

	@Test
	void refusesBackoffsAndAttemptsThatCannotWork() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
	}

}
