package io.mutationhooks.testapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mutationhooks.Hook;
import io.mutationhooks.Mutation;
import io.mutationhooks.Mutator;
import io.mutationhooks.Op;

/** A global hook bean that records every mutation it sees, with its old state when there is one. */
public class RecordingHook implements Hook {

	private final List<Seen> seen = new CopyOnWriteArrayList<>();

	@Override
	public Mutator apply(Mutator next) {
		return mutation -> {
			this.seen.add(new Seen(mutation.op(), mutation.type(), mutation.id(), mutation.query().orElse(null),
					mutation));
			return next.mutate(mutation);
		};
	}

	public List<Seen> seen() {
		return List.copyOf(this.seen);
	}

	public void clear() {
		this.seen.clear();
	}

	/** One mutation seen. */
	public record Seen(Op op, Class<?> type, Object id, String query, Mutation<?> mutation) {
	}

}
