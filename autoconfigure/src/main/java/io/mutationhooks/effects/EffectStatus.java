package io.mutationhooks.effects;

/** Where a stored effect is on its way. */
public enum EffectStatus {

	/** Waiting for its first run. */
	PENDING,

	/** Being run by an instance now. */
	RUNNING,

	/** Failed for now and waiting for its next attempt. */
	RETRYING,

	/** Failed for good or too often: kept, not run again until {@link EffectBacklog#rerun(String) rerun}. */
	PARKED

}
