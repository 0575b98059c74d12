package io.mutationhooks.core;

import java.util.List;

import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;

/**
 * Told when each hooked write starts and how it ends, to time and count it (the starter's Micrometer observation
 * is one). A write is one run of the hooks down to one call of the write: one mutation, or the mutations of one
 * batched {@code saveAll} part written together. It ends when its chain returns, before the transaction commits.
 * <p>
 * {@link #NONE}, the default, is never called: the executor checks for it once per write and runs the write as if
 * there were no observer.
 */
public interface WriteObserver {

	/** Observes nothing, and costs nothing: writes with it run exactly as without an observer. */
	WriteObserver NONE = new WriteObserver() {

		@Override
		public ObservedWrite writing(Mutation<?> mutation) {
			return ObservedWrite.IGNORED;
		}

		@Override
		public ObservedWrite writingAll(List<? extends Mutation<?>> mutations) {
			return ObservedWrite.IGNORED;
		}

		@Override
		public String toString() {
			return "WriteObserver.NONE";
		}

	};

	/**
	 * A write of one mutation starts: its hooks are about to run.
	 * @param mutation the mutation, as the hooks will see it
	 * @return told how the write ends, exactly once
	 */
	ObservedWrite writing(Mutation<?> mutation);

	/**
	 * A batched write of several mutations starts ({@code saveAll}, {@code insertAll}, {@code updateAll}: their
	 * chains nest and end in one write of them all).
	 * @param mutations the mutations in call order, not empty
	 * @return told how the write ends, exactly once
	 */
	ObservedWrite writingAll(List<? extends Mutation<?>> mutations);

	/** How one observed write ends: exactly one of the methods is called, on the thread that wrote. */
	interface ObservedWrite {

		/** Tells nothing to no one. */
		ObservedWrite IGNORED = new ObservedWrite() {

			@Override
			public void done() {
			}

			@Override
			public void refused(MutationException refusal) {
			}

			@Override
			public void failed(Throwable failure) {
			}

		};

		/** The chain returned: the write is done, or a hook chose to return without it. */
		void done();

		/**
		 * A hook refused the write, or failed: the call ends with {@code refusal}, which names the hook when it can.
		 * @param refusal what the caller gets
		 */
		void refused(MutationException refusal);

		/**
		 * The write itself, or the read of its old state, failed (a duplicate key, a lost optimistic lock, bad SQL),
		 * or an {@link Error} went through the chain: the caller gets {@code failure} unchanged.
		 * @param failure what the caller gets
		 */
		void failed(Throwable failure);

	}

}
