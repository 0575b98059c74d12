package io.mutationhooks.actuator;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectRecord;
import io.mutationhooks.effects.EffectStatus;

/** An effect backlog whose summary a test sets, counting how often it is read. */
public class StubEffectBacklog implements EffectBacklog {

	private volatile List<EffectCount> counts = List.of();

	private final AtomicInteger summaries = new AtomicInteger();

	/** Sets what the summary returns from now on. */
	public void set(EffectCount... counts) {
		this.counts = List.of(counts);
	}

	/** How often the summary was read. */
	public int summaries() {
		return this.summaries.get();
	}

	@Override
	public List<EffectCount> summary() {
		this.summaries.incrementAndGet();
		return this.counts;
	}

	@Override
	public List<EffectRecord> list(EffectStatus status, int limit) {
		return List.of();
	}

	@Override
	public boolean rerun(String id) {
		return false;
	}

	@Override
	public boolean discard(String id) {
		return false;
	}

}
