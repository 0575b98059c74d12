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
	 * One page of the effects with {@code status}, for listings that page through a long backlog. Pages follow one
	 * order, the oldest request first and then by id, so successive pages neither repeat nor skip an effect while
	 * the backlog stays as it is; effects that come or go between two calls shift the pages after them.
	 * @param status the status to list
	 * @param offset how many effects of that order to skip, at least 0
	 * @param limit the most records to return
	 * @return at most {@code limit} effects with {@code status}, from the {@code offset}-th on
	 * @throws IllegalArgumentException if {@code offset} is negative
	 */
	default List<EffectRecord> list(EffectStatus status, int offset, int limit) {
		if (offset < 0) {
			throw new IllegalArgumentException("offset must not be negative, not " + offset);
		}
		List<EffectRecord> upTo = list(status, (int) Math.min((long) offset + Math.max(limit, 0), Integer.MAX_VALUE));
		return upTo.subList(Math.min(offset, upTo.size()), upTo.size());
	}

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
