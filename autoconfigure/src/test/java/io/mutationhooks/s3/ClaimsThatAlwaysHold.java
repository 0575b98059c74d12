package io.mutationhooks.s3;

import java.time.Duration;

/**
 * A test's {@link DeletionClaims} whose claims are never purged under it ({@link #holds} is always true), with a
 * minute of preparation time: a test says only how keys are claimed and what a delete records.
 */
public abstract class ClaimsThatAlwaysHold implements DeletionClaims {

	@Override
	public boolean holds(Claim claim) {
		return true;
	}

	@Override
	public Duration preparationTime() {
		return Duration.ofMinutes(1);
	}

}
