package io.mutationhooks;

import java.util.List;
import java.util.Objects;

/**
 * Small functions that decide when a hook runs, as Ent's {@code hook} package: {@link #on}, {@link #unless},
 * {@link #when} (Ent's {@code If}), {@link #fixedError}, {@link #reject}, {@link #forEntity} and {@link #chain}.
 */
public final class Hooks {

	private Hooks() {
	}

	/** Runs {@code hook} only for the given operations. */
	public static Hook on(Hook hook, Op... ops) {
		return when(hook, Condition.hasOp(ops));
	}

	/** Runs {@code hook} for every operation except the given ones. */
	public static Hook unless(Hook hook, Op... ops) {
		return when(hook, Condition.not(Condition.hasOp(ops)));
	}

	/** Runs {@code hook} only when {@code condition} holds for the mutation: Ent's {@code hook.If}. */
	public static Hook when(Hook hook, Condition condition) {
		requireHook(hook);
		Objects.requireNonNull(condition, "condition must not be null");
		return next -> {
			Mutator hooked = HookChain.wrap(hook, next);
			return mutation -> condition.test(mutation) ? hooked.mutate(mutation) : next.mutate(mutation);
		};
	}

	/** A hook that always fails with {@code error}, so nothing is written. */
	public static Hook fixedError(Exception error) {
		Objects.requireNonNull(error, "error must not be null");
		return next -> mutation -> {
			throw error;
		};
	}

	/** A hook that refuses the given operations with a {@link MutationException}. */
	public static Hook reject(Op... ops) {
		Hook refuse = next -> mutation -> {
			throw new MutationException(mutation.type(), mutation.op(), mutation.op() + " is not allowed");
		};
		return on(refuse, ops);
	}

	/**
	 * A hook for one entity type that sees typed mutations, Ent's {@code hook.UserFunc}:
	 * {@code forEntity(User.class, (m, next) -> ...)}.
	 */
	public static <T> EntityHook forEntity(Class<T> type, TypedHook<T> hook) {
		Objects.requireNonNull(hook, "hook must not be null");
		return new ScopedHook(type, next -> mutation -> hook.mutate(cast(mutation), next));
	}

	/** Scopes {@code hooks}, run as a chain, to one entity type and its subtypes. */
	public static EntityHook forEntity(Class<?> type, Hook... hooks) {
		Hook chain = chain(hooks);
		// One hook needs no chain around it: it would only add a step to every write.
		return new ScopedHook(type, hooks.length == 1 ? hooks[0] : chain);
	}

	/** Composes hooks into one: {@code chain(f, g, h)} runs as {@code f(g(h(next)))}. */
	public static Hook chain(Hook... hooks) {
		Objects.requireNonNull(hooks, "hooks must not be null");
		for (int i = 0; i < hooks.length; i++) {
			Objects.requireNonNull(hooks[i], "hook at index " + i + " is null");
		}
		List<Hook> list = List.of(hooks.clone());
		return next -> HookChain.compose(list, next);
	}

	private static void requireHook(Hook hook) {
		Objects.requireNonNull(hook, "hook must not be null");
	}

	@SuppressWarnings("unchecked")
	private static <T> Mutation<T> cast(Mutation<?> mutation) {
		return (Mutation<T>) mutation;
	}

	private record ScopedHook(Class<?> entityType, Hook hook) implements EntityHook {

		ScopedHook {
			Objects.requireNonNull(entityType, "entity type must not be null");
		}

		@Override
		public Mutator apply(Mutator next) {
			Mutator hooked = HookChain.wrap(this.hook, next);
			return mutation -> this.entityType.isAssignableFrom(mutation.type()) ? hooked.mutate(mutation)
					: next.mutate(mutation);
		}

		/** The registry has already matched the type: the wrapped hook runs without the check. */
		@Override
		public Hook forType(Class<?> type) {
			return this.hook;
		}

		@Override
		public String toString() {
			return "forEntity(" + this.entityType.getSimpleName() + ")";
		}

	}

}
