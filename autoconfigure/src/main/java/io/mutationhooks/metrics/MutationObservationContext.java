package io.mutationhooks.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.micrometer.observation.Observation;

import io.mutationhooks.Mutation;

/**
 * What an observation of one hooked write knows: its mutation (or the mutations of a batched {@code saveAll} part
 * written together), and, once it ended, its outcome and the hook that refused it.
 */
public class MutationObservationContext extends Observation.Context {

	private final List<? extends Mutation<?>> mutations;

	private final boolean batch;

	private volatile Outcome outcome;

	private volatile String refusingHook;

	/**
	 * @param mutations the mutations written together, in call order, not empty
	 * @param batch whether they are a batched write ({@code saveAll}, {@code insertAll}, {@code updateAll}), even of
	 * one entity
	 */
	public MutationObservationContext(List<? extends Mutation<?>> mutations, boolean batch) {
		Objects.requireNonNull(mutations, "mutations must not be null");
		if (mutations.isEmpty()) {
			throw new IllegalArgumentException("mutations must not be empty");
		}
		this.mutations = mutations;
		this.batch = batch;
	}

	/** The mutation written, or the first of a batch. */
	public Mutation<?> mutation() {
		return this.mutations.get(0);
	}

	/** The mutations written together: one, unless this is a batch. */
	public List<? extends Mutation<?>> mutations() {
		return this.mutations;
	}

	/** Whether this is a batched write of several entities ({@code saveAll}, {@code insertAll}, {@code updateAll}). */
	public boolean isBatch() {
		return this.batch;
	}

	/** How the write ended, or {@literal null} while it runs. */
	public Outcome outcome() {
		return this.outcome;
	}

	/** The bean name of the hook that refused the write, or {@literal null} if none did or it has no name. */
	public String refusingHook() {
		return this.refusingHook;
	}

	void ended(Outcome outcome, String refusingHook) {
		this.outcome = outcome;
		this.refusingHook = refusingHook;
	}

	/** How a hooked write ended. */
	public enum Outcome {

		/** The hooks and the write ran through (or a hook returned without writing, as it may). */
		DONE,

		/**
		 * A hook refused the write or failed: the caller got a {@link io.mutationhooks.MutationException}, such as
		 * {@code Hooks.reject}'s, a hook's own exception wrapped, or the S3 sync's missing object.
		 */
		REFUSED,

		/**
		 * The write itself, or the read of its old state, failed (a duplicate key, a lost optimistic lock, bad SQL):
		 * the caller got that exception unchanged. Also an {@link Error} thrown anywhere in the chain.
		 */
		FAILED;

		private final String value = name().toLowerCase(Locale.ROOT);

		/** {@code done}, {@code refused} or {@code failed}: the value of the outcome key. */
		public String value() {
			return this.value;
		}

	}

}
