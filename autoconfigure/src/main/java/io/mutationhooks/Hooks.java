package io.mutationhooks;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.mutationhooks.core.GuardedHook;
import io.mutationhooks.core.HookDescriptions;

/**
 * Small functions that decide when a hook runs, as Ent's {@code hook} package: {@link #on}, {@link #unless},
 * {@link #when} (Ent's {@code If}), {@link #fixedError}, {@link #reject}, {@link #forEntity} and {@link #chain}.
 */
public final class Hooks {

	private Hooks() {
	}

	/**
	 * Runs {@code hook} only for the given operations. Like every helper here that wraps a hook, it keeps the scope
	 * of an {@link EntityHook}: the result runs only for that entity type, with the entity hooks.
	 */
	public static Hook on(Hook hook, Op... ops) {
		return guarded(hook, Condition.hasOp(ops), "on", Condition.opNames(ops));
	}

	/** Runs {@code hook} for every operation except the given ones; an entity hook stays scoped to its type. */
	public static Hook unless(Hook hook, Op... ops) {
		return guarded(hook, Condition.not(Condition.hasOp(ops)), "unless", Condition.opNames(ops));
	}

	/**
	 * Runs {@code hook} only when {@code condition} holds for the mutation: Ent's {@code hook.If}. An entity hook
	 * stays scoped to its type.
	 */
	public static Hook when(Hook hook, Condition condition) {
		Objects.requireNonNull(condition, "condition must not be null");
		return guarded(hook, condition, "when", condition);
	}

	/**
	 * {@code hook} run only when {@code condition} holds, described as {@code name(argument, hook)}, where the
	 * argument is what the condition stands for: the operations' names, or the condition itself.
	 */
	private static Hook guarded(Hook hook, Condition condition, String name, Object argument) {
		requireHook(hook);
		Supplier<String> description = () -> name + "(" + HookDescriptions.describe(argument) + ", "
				+ HookDescriptions.describe(hook) + ")";
		return keepingScope(hook, description,
				unscoped -> new Guarded(name, argument, condition, unscoped, description));
	}

	/** A hook that always fails with {@code error}, so nothing is written. */
	public static Hook fixedError(Exception error) {
		Objects.requireNonNull(error, "error must not be null");
		return described(() -> "fixedError(" + error.getClass().getSimpleName() + ")", next -> mutation -> {
			throw error;
		});
	}

	/** A hook that refuses the given operations with a {@link MutationException}. */
	public static Hook reject(Op... ops) {
		Hook refuse = next -> mutation -> {
			throw new MutationException(mutation.type(), mutation.op(), mutation.op() + " is not allowed");
		};
		String names = Condition.opNames(ops);
		return described(() -> "reject(" + names + ")", on(refuse, ops));
	}

	/**
	 * A hook for one entity type that sees typed mutations, Ent's {@code hook.UserFunc}:
	 * {@code forEntity(User.class, (m, next) -> ...)}.
	 */
	public static <T> EntityHook forEntity(Class<T> type, TypedHook<T> hook) {
		Objects.requireNonNull(hook, "hook must not be null");
		return new ScopedHook(type, described(() -> HookDescriptions.describe(hook),
				next -> mutation -> hook.mutate(cast(mutation), next)));
	}

	/** Scopes {@code hooks}, run as a chain, to one entity type and its subtypes. */
	public static EntityHook forEntity(Class<?> type, Hook... hooks) {
		// The chain is unscoped: entity hooks in it only narrow the type this one already checks.
		List<Hook> list = requireHooks(hooks);
		Hook chain = described(() -> describeAll(list), unscopedChain(list));
		// One hook needs no chain around it: it would only add a step to every write.
		return new ScopedHook(type, hooks.length == 1 ? hooks[0] : chain);
	}

	/**
	 * Composes hooks into one: {@code chain(f, g, h)} runs as {@code f(g(h(next)))}. A chain of entity hooks of one
	 * type is an entity hook of that type.
	 * @throws IllegalArgumentException if the chain mixes global and entity hooks, or entity hooks of different
	 * types: it runs as one hook, so it can have only one scope; register such hooks one by one instead
	 */
	public static Hook chain(Hook... hooks) {
		List<Hook> list = requireHooks(hooks);
		Hook chain = described(() -> "chain(" + describeAll(list) + ")", unscopedChain(list));
		if (list.isEmpty() || !(list.get(0) instanceof EntityHook first)) {
			list.stream().filter(EntityHook.class::isInstance).findFirst().ifPresent(scoped -> {
				throw mixedScopes(list);
			});
			return chain;
		}
		for (Hook hook : list) {
			if (!(hook instanceof EntityHook scoped) || scoped.entityType() != first.entityType()) {
				throw mixedScopes(list);
			}
		}
		// For each type, the hooks of the chain that apply to it, each as it runs for the type.
		return new ScopeKeepingHook(first, chain::toString, chain, type -> unscopedChain(list.stream()
			.map(EntityHook.class::cast)
			.filter(scoped -> scoped.appliesTo(type))
			.map(scoped -> scoped.forType(type))
			.toList()));
	}

	private static Hook unscopedChain(List<Hook> hooks) {
		return next -> HookChain.compose(hooks, next);
	}

	private static String describeAll(List<Hook> hooks) {
		return String.join(", ", hooks.stream().map(HookDescriptions::describe).toList());
	}

	/**
	 * {@code hook}, which says {@code description} when printed. Descriptions are made only then: they call the
	 * {@code toString} of what the helpers wrap, which may be costly or, for a scoped proxy, fail outside its scope.
	 */
	private static Hook described(Supplier<String> description, Hook hook) {
		return new DescribedHook(description, hook);
	}

	private static IllegalArgumentException mixedScopes(List<Hook> hooks) {
		return new IllegalArgumentException("Hooks.chain cannot mix hooks of different scopes ("
				+ String.join(", ", hooks.stream().map(Hooks::scopeOf).toList())
				+ "): the chain runs as one hook with one scope; register these hooks separately, or scope them all "
				+ "to one entity type with Hooks.forEntity");
	}

	private static String scopeOf(Hook hook) {
		return hook instanceof EntityHook scoped ? scoped.entityType().getSimpleName() : "global";
	}

	private static List<Hook> requireHooks(Hook[] hooks) {
		Objects.requireNonNull(hooks, "hooks must not be null");
		for (int i = 0; i < hooks.length; i++) {
			Objects.requireNonNull(hooks[i], "hook at index " + i + " is null");
		}
		return List.of(hooks.clone());
	}

	/**
	 * {@code wrapping} applied to {@code hook}; for an entity hook, an entity hook of the same scope, which runs
	 * {@code wrapping} of the hook the entity hook gives for each type.
	 */
	private static Hook keepingScope(Hook hook, Supplier<String> description, UnaryOperator<Hook> wrapping) {
		Hook wrapped = wrapping.apply(hook);
		return hook instanceof EntityHook scoped ? new ScopeKeepingHook(scoped, description, wrapped,
				type -> wrapping.apply(scoped.forType(type))) : wrapped;
	}

	private static void requireHook(Hook hook) {
		Objects.requireNonNull(hook, "hook must not be null");
	}

	@SuppressWarnings("unchecked")
	private static <T> Mutation<T> cast(Mutation<?> mutation) {
		return (Mutation<T>) mutation;
	}

	/**
	 * A hook made from an entity hook by wrapping it: it keeps the entity hook's scope, and for each type runs the
	 * wrapping of the hook the entity hook gives for that type.
	 */
	private record ScopeKeepingHook(EntityHook scope, Supplier<String> description, Hook hook,
			Function<Class<?>, Hook> forType) implements EntityHook {

		@Override
		public Class<?> entityType() {
			return this.scope.entityType();
		}

		@Override
		public boolean appliesTo(Class<?> type) {
			return this.scope.appliesTo(type);
		}

		@Override
		public Mutator apply(Mutator next) {
			return HookChain.wrap(this.hook, next);
		}

		@Override
		public Hook forType(Class<?> type) {
			return this.forType.apply(type);
		}

		@Override
		public String toString() {
			return this.description.get();
		}

	}

	/**
	 * A hook that runs {@code hook} when {@code condition} holds and otherwise goes straight to the next one: what
	 * {@link #on}, {@link #unless} and {@link #when} return, described as {@code guard(argument, hook)}.
	 */
	private record Guarded(String guard, Object argument, Condition test, Hook guarded,
			Supplier<String> description) implements GuardedHook {

		@Override
		public Mutator apply(Mutator next) {
			Mutator hooked = HookChain.wrap(this.guarded, next);
			return mutation -> this.test.test(mutation) ? hooked.mutate(mutation) : next.mutate(mutation);
		}

		@Override
		public String condition() {
			return HookDescriptions.describe(this.argument);
		}

		@Override
		public String toString() {
			return this.description.get();
		}

	}

	/** A hook that says what it is when printed, as the helpers' hooks do. */
	private record DescribedHook(Supplier<String> description, Hook hook) implements Hook {

		@Override
		public Mutator apply(Mutator next) {
			return this.hook.apply(next);
		}

		@Override
		public String toString() {
			return this.description.get();
		}

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
			return "forEntity(" + this.entityType.getSimpleName() + ", " + HookDescriptions.describe(this.hook) + ")";
		}

	}

}
