package io.mutationhooks.effects;

import java.util.List;

/** The stored effects that have not finished, for operators: see them, run parked ones again, or discard them. */
public interface EffectBacklog {

	/**
	 * @param status the status to list
	 * @param limit the most records to return
	 * @return effects with {@code status}, oldest request first
	 */
	List<EffectRecord> list(EffectStatus status, int limit);

	/**
	 * Counts the stored effects by name and status, reading each once without keeping them: its cost grows with the
	 * backlog, so callers that ask often (gauges, health checks) should keep the answer for a while.
	 * @return one count per effect name and status that has effects, by name, then status
	 */
	List<EffectCount> summary();

	/**
	 * Runs a parked effect again now, keeping its attempt count and last error as history.
	 * @param id the effect's id
	 * @return whether a parked effect with that id was found and scheduled
	 */
	boolean rerun(String id);

	/**
	 * Discards a parked effect for good, logging what it was.
	 * @param id the effect's id
	 * @return whether a parked effect with that id was found and discarded
	 */
	boolean discard(String id);

}
