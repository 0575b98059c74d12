package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mutationhooks.Hook;
import io.mutationhooks.HookChain;
import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.Mutator;
import io.mutationhooks.Op;
import io.mutationhooks.core.DefaultMutation.WriteContext;

/**
 * Runs one mutation through its hooks to the write. Unchecked failures of the write itself surface unchanged; every
 * other failure (a hook that refuses, throws, or breaks the chain, and a checked exception of the write) surfaces as
 * a {@link MutationException} with the original as its cause, naming the hook bean it came from; a hook's own
 * {@code MutationException} surfaces itself, named after the hook if it names none.
 */
public final class MutationExecutor {

	private static final System.Logger logger = System.getLogger(MutationExecutor.class.getName());

	private MutationExecutor() {
	}

	/**
	 * Runs {@code mutation} through {@code hooks}, the first outermost, ending in {@code write}.
	 * @param hooks the hooks in running order, may be empty
	 * @param mutation the mutation
	 * @param write the write itself, given the mutation that reached it
	 * @return what the chain returned
	 */
	public static Object execute(List<Hook> hooks, DefaultMutation<?> mutation, Mutator write) {
		WriteContext<?> context = DefaultMutation.contextOf(mutation);
		return run(hooks, mutation, reached -> {
			context.beginWrite();
			Object result;
			try {
				result = write.mutate(reached);
			}
			catch (Exception | Error failure) {
				context.writeFailed(failure);
				throw failure;
			}
			context.written(result);
			Running.wrote(mutation.type(), context);
			return result;
		});
	}

	/**
	 * Runs {@code mutation} through {@code hooks} to {@code write}, as {@link #execute(List, DefaultMutation, Mutator)}
	 * does, telling {@code observer} when it starts and how it ends.
	 * @param observer told of the write; {@link WriteObserver#NONE} costs nothing
	 */
	public static Object execute(List<Hook> hooks, DefaultMutation<?> mutation, Mutator write, WriteObserver observer) {
		if (observer == WriteObserver.NONE) {
			return execute(hooks, mutation, write);
		}
		WriteObserver.ObservedWrite observed = start(observer, mutation, null);
		Object result;
		try {
			result = execute(hooks, mutation, write);
		}
		catch (RuntimeException | Error ex) {
			ended(observed, ex);
			throw ex;
		}
		ended(observed, null);
		return result;
	}

	/**
	 * Runs the mutations of one call as {@link #executeAll(List, List, BatchWrite)} does, as one observed write.
	 * @param observer told of the write; {@link WriteObserver#NONE} costs nothing
	 */
	public static List<Object> executeAll(List<List<Hook>> hooks, List<? extends DefaultMutation<?>> mutations,
			BatchWrite write, WriteObserver observer) {
		if (observer == WriteObserver.NONE) {
			return executeAll(hooks, mutations, write);
		}
		WriteObserver.ObservedWrite observed = start(observer, null, mutations);
		List<Object> result;
		try {
			result = executeAll(hooks, mutations, write);
		}
		catch (RuntimeException | Error ex) {
			ended(observed, ex);
			throw ex;
		}
		ended(observed, null);
		return result;
	}

	/**
	 * Tells {@code observer} a write starts: of {@code mutation}, or of the batch of {@code mutations}. What the
	 * observer throws here and in {@link #ended} is logged and ignored: observing a write never changes its outcome
	 * (a successful write rolled back because a meter failed, or a refusal replaced by the meter's exception).
	 */
	private static WriteObserver.ObservedWrite start(WriteObserver observer, DefaultMutation<?> mutation,
			List<? extends DefaultMutation<?>> mutations) {
		try {
			return mutation != null ? observer.writing(mutation) : observer.writingAll(mutations);
		}
		catch (RuntimeException ex) {
			observerFailed(ex);
			return WriteObserver.ObservedWrite.IGNORED;
		}
	}

	/** Tells how an observed write ended: done, refused by a hook ({@code failure} a MutationException), or failed. */
	private static void ended(WriteObserver.ObservedWrite observed, Throwable failure) {
		try {
			if (failure == null) {
				observed.done();
			}
			else if (failure instanceof MutationException refusal) {
				observed.refused(refusal);
			}
			else {
				observed.failed(failure);
			}
		}
		catch (RuntimeException ex) {
			observerFailed(ex);
		}
	}

	private static void observerFailed(RuntimeException ex) {
		logger.log(System.Logger.Level.WARNING, "A write observer failed; the write goes on unchanged", ex);
	}

	/**
	 * Runs the mutations of one call that writes several entities through their hooks to one write of them all, as
	 * Ent's bulk create does: the innermost mutator of mutation {@code i} runs the chain of mutation {@code i + 1},
	 * and the innermost of the last runs {@code write} with every mutation as it reached its write. The results then
	 * unwind through every chain, so code after {@code next} sees the written entity. A failure anywhere fails the
	 * whole call; the write's own failure surfaces unchanged.
	 * @param hooks the hooks of each mutation, in running order, may be empty
	 * @param mutations the mutations in call order, not empty
	 * @param write writes the mutations that reached it and returns the written entities in the same order
	 * @return what each mutation's chain returned, in call order
	 */
	public static List<Object> executeAll(List<List<Hook>> hooks, List<? extends DefaultMutation<?>> mutations,
			BatchWrite write) {
		if (hooks.size() != mutations.size() || mutations.isEmpty()) {
			throw new IllegalArgumentException("one list of hooks per mutation, and at least one mutation");
		}
		return new NestedChains(hooks, mutations, write).run();
	}

	/**
	 * How many hooked writes of {@code type} this thread has done so far, a batch's write counted once and from just
	 * before it runs: old state read for several mutations at once (a batch's) is stale once it changes, since a
	 * write nested in a hook may have changed the rows.
	 */
	public static long writesOnThisThread(Class<?> type) {
		return Running.current.get().writesOf(type);
	}

	/** Runs {@code mutation} through {@code hooks} to {@code last}, turning failures as the class describes. */
	private static Object run(List<Hook> hooks, DefaultMutation<?> mutation, Mutator last) {
		WriteContext<?> context = DefaultMutation.contextOf(mutation);
		Running running = Running.enter(mutation.type(), context);
		Blame blame = hooks instanceof NamedHooks<?> named && named.anyNamed() ? new Blame(context) : null;
		try {
			Mutator chain = blame != null ? blame.compose((NamedHooks<?>) hooks, last) : HookChain.compose(hooks, last);
			return checkResult(mutation, chain.mutate(mutation));
		}
		catch (MutationException ex) {
			throw running.settled(namingItsHook(ex, blame, running));
		}
		catch (RuntimeException ex) {
			if (context.isWriteFailure(ex)) {
				throw ex;
			}
			throw running.settled(
					new MutationException(mutation.type(), mutation.op(), hookOf(blame, ex), reason(ex), ex));
		}
		catch (Exception ex) {
			throw running.settled(
					new MutationException(mutation.type(), mutation.op(), hookOf(blame, ex), reason(ex), ex));
		}
		finally {
			running.exit();
		}
	}

	/**
	 * Writes the mutations of a batch that reached the end of their chains, at once.
	 */
	@FunctionalInterface
	public interface BatchWrite {

		/**
		 * @param reached each mutation as it reached its write (a hook may have replaced it), in call order
		 * @return the written entities, one per mutation, in the same order
		 */
		List<?> write(List<Mutation<?>> reached) throws Exception;

	}

	/**
	 * The chains of a batch, each nested in the innermost mutator of the one before. A chain whose hooks return
	 * without calling {@code next} leaves its entity out of the write, and the next chain runs after it instead of
	 * inside it. A failure of a later chain or of the write fails the call even if a hook of an earlier chain catches
	 * it: one entity's hook cannot absorb another's failure, or the shared write's.
	 */
	private static final class NestedChains {

		private final List<List<Hook>> hooks;

		private final List<? extends DefaultMutation<?>> mutations;

		private final BatchWrite write;

		private final Mutation<?>[] reached;

		private final Object[] written;

		private final Object[] results;

		/** The first failure of a chain or of the write, rethrown if a hook of an earlier chain swallows it. */
		private Throwable failure;

		NestedChains(List<List<Hook>> hooks, List<? extends DefaultMutation<?>> mutations, BatchWrite write) {
			this.hooks = hooks;
			this.mutations = mutations;
			this.write = write;
			this.reached = new Mutation<?>[mutations.size()];
			this.written = new Object[mutations.size()];
			this.results = new Object[mutations.size()];
		}

		List<Object> run() {
			try {
				from(0);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return Arrays.asList(this.results);
		}

		/** Runs the chains from {@code index} on, each inside the one before unless that one stopped, then the write. */
		private void from(int index) throws Exception {
			int next = index;
			while (next < this.mutations.size()) {
				this.results[next] = chain(next);
				rethrowSwallowedFailure();
				if (this.reached[next] != null) {
					// The chains after it ran inside it, and the write with them.
					return;
				}
				next++;
			}
			writeAll();
		}

		private Object chain(int index) {
			DefaultMutation<?> mutation = this.mutations.get(index);
			WriteContext<?> context = DefaultMutation.contextOf(mutation);
			return MutationExecutor.run(this.hooks.get(index), mutation, reached -> {
				if (this.reached[index] != null) {
					throw new IllegalStateException("a hook called next.mutate(mutation) twice for " + mutation
							+ ", one of several entities written at once: they are written once, together");
				}
				context.beginWrite();
				this.reached[index] = reached;
				try {
					from(index + 1);
				}
				catch (Exception | Error failure) {
					// The write's, or a later chain's (a MutationException naming its own hook): no hook of this
					// chain is to blame for it.
					if (this.failure == null) {
						this.failure = failure;
					}
					context.writeFailed(failure);
					throw failure;
				}
				context.written(this.written[index]);
				return this.written[index];
			});
		}

		private void rethrowSwallowedFailure() throws Exception {
			Throwable swallowed = this.failure;
			if (swallowed instanceof Exception ex) {
				throw ex;
			}
			if (swallowed instanceof Error error) {
				throw error;
			}
		}

		private void writeAll() throws Exception {
			List<Mutation<?>> reached = Arrays.asList(this.reached);
			if (reached.stream().allMatch(java.util.Objects::isNull)) {
				return;
			}
			// Counted as one write of each type before it runs, so that what the write itself reads of the counts
			// includes it.
			Running running = Running.current.get();
			Set<Class<?>> types = new HashSet<>();
			for (int i = 0; i < this.mutations.size(); i++) {
				DefaultMutation<?> mutation = this.mutations.get(i);
				if (this.reached[i] != null && types.add(mutation.type())) {
					running.count(mutation.type());
					running.changed(mutation.type(), DefaultMutation.contextOf(mutation));
				}
			}
			List<?> written;
			try {
				written = this.write.write(reached);
				if (written == null || written.size() != this.reached.length) {
					throw new IllegalStateException("the write of " + this.reached.length + " entities returned "
							+ (written == null ? "null" : written.size() + " entities"));
				}
			}
			catch (Exception | Error failure) {
				for (DefaultMutation<?> mutation : this.mutations) {
					DefaultMutation.contextOf(mutation).writeFailed(failure);
				}
				throw failure;
			}
			written.toArray(this.written);
		}

	}

	/**
	 * {@code ex}, naming the hook bean that threw it when it names none: a refusal the hook made itself cannot know
	 * its bean's name. The failure of a write nested in a hook is left as its own mutation settled it.
	 */
	private static MutationException namingItsHook(MutationException ex, Blame blame, Running running) {
		String hook = ex.getHook() == null && !running.isSettled(ex) ? hookOf(blame, ex) : null;
		return hook != null ? ex.initHook(hook) : ex;
	}

	private static Object checkResult(Mutation<?> mutation, Object result) {
		Op op = mutation.op();
		// A query write returns what its method returns (a count, or nothing), not an entity.
		if ((op == Op.CREATE || op == Op.UPDATE_ONE) && mutation.rowsKnown()) {
			if (result == null) {
				throw new MutationException(mutation.type(), mutation.op(),
						"a hook returned null instead of the written entity; return what next.mutate(mutation) returned");
			}
			if (!mutation.type().isInstance(result)) {
				throw new MutationException(mutation.type(), mutation.op(), "a hook returned a "
						+ result.getClass().getName() + " instead of the written " + mutation.type().getSimpleName());
			}
		}
		return result;
	}

	private static String hookOf(Blame blame, Exception ex) {
		return blame != null ? blame.hookOf(ex) : null;
	}

	static String reason(Exception ex) {
		String message = ex.getMessage();
		return message == null || message.isBlank() ? ex.getClass().getSimpleName()
				: ex instanceof IllegalStateException || ex instanceof IllegalArgumentException ? message
						: ex.getClass().getSimpleName() + ": " + message;
	}


	/**
	 * Which named hook a failure came from: each hook's mutator is wrapped, and the innermost wrapper a failure
	 * passes names it; outer hooks that let it through unchanged do not, one that throws another exception does.
	 * Failures of the write itself are no hook's.
	 */
	private static final class Blame {

		private final WriteContext<?> context;

		private Throwable failure;

		private String hook;

		Blame(WriteContext<?> context) {
			this.context = context;
		}

		Mutator compose(NamedHooks<?> hooks, Mutator last) {
			Mutator mutator = last;
			for (int i = hooks.size() - 1; i >= 0; i--) {
				Mutator hooked = HookChain.wrap(hooks.get(i), mutator);
				String name = hooks.nameAt(i);
				mutator = mutation -> {
					try {
						return hooked.mutate(mutation);
					}
					catch (Exception ex) {
						blame(ex, name);
						throw ex;
					}
				};
			}
			return mutator;
		}

		private void blame(Throwable ex, String name) {
			if (ex != this.failure) {
				this.failure = ex;
				this.hook = this.context.isWriteFailure(ex) ? null : name;
			}
		}

		/** The name of the hook {@code ex} came from, or {@literal null} if it came from an unnamed hook or the write. */
		String hookOf(Throwable ex) {
			return ex == this.failure ? this.hook : null;
		}

	}

	/**
	 * The mutations running on this thread, outermost first, so that a write nested in a hook (the hook saves the
	 * same row again) makes the mutations around it read their old state anew, and so that the failure of a nested
	 * write is not named after the hook that made that write. One list per thread, kept: pushing and popping costs no
	 * {@code ThreadLocal.set} per write.
	 */
	private static final class Running {

		private static final ThreadLocal<Running> current = ThreadLocal.withInitial(Running::new);

		private final ArrayList<Class<?>> types = new ArrayList<>();

		private final ArrayList<WriteContext<?>> contexts = new ArrayList<>();

		/** The hooked writes of each entity type this thread has done, for {@link #writesOnThisThread(Class)}. */
		private final Map<Class<?>, long[]> writes = new IdentityHashMap<>();

		/** The last failure a mutation on this thread threw, named as it found; kept until the outermost one ends. */
		private MutationException settled;

		static Running enter(Class<?> type, WriteContext<?> context) {
			Running running = current.get();
			running.types.add(type);
			running.contexts.add(context);
			return running;
		}

		/** A write of {@code type} by {@code context} is done: the old state of the mutations around it is stale. */
		static void wrote(Class<?> type, WriteContext<?> context) {
			Running running = current.get();
			running.count(type);
			running.changed(type, context);
		}

		/** Counts a write of {@code type}. */
		void count(Class<?> type) {
			this.writes.computeIfAbsent(type, key -> new long[1])[0]++;
		}

		long writesOf(Class<?> type) {
			long[] count = this.writes.get(type);
			return count != null ? count[0] : 0;
		}

		/** Rows of {@code type} changed, written by {@code context}: the old state of the other mutations is stale. */
		void changed(Class<?> type, WriteContext<?> context) {
			for (int i = this.contexts.size() - 1; i >= 0; i--) {
				if (this.contexts.get(i) != context && this.types.get(i) == type) {
					this.contexts.get(i).oldStateChanged();
				}
			}
		}

		/** Records {@code ex} as thrown by a mutation, so that the mutations around it leave its name as it is. */
		MutationException settled(MutationException ex) {
			this.settled = ex;
			return ex;
		}

		/** Whether {@code ex} is the failure of a mutation nested in the one running now. */
		boolean isSettled(MutationException ex) {
			return ex == this.settled;
		}

		void exit() {
			int last = this.contexts.size() - 1;
			this.contexts.remove(last);
			this.types.remove(last);
			if (last == 0) {
				this.settled = null;
			}
		}

	}

}
