package io.mutationhooks;

import java.util.List;
import java.util.Objects;

/**
 * Composes hooks around a mutator as Ent does: for hooks {@code f, g, h} the result is {@code f(g(h(last)))}, so
 * the first hook runs outermost.
 */
public final class HookChain {

	private HookChain() {
	}

	/**
	 * Wraps {@code last} in {@code hooks}, the first hook outermost.
	 * @param hooks the hooks in running order
	 * @param last the innermost mutator, usually the write itself
	 * @return the composed mutator; {@code last} itself when there are no hooks
	 * @throws IllegalStateException if a hook returns {@literal null} from {@link Hook#apply(Mutator)}
	 */
	public static Mutator compose(List<? extends Hook> hooks, Mutator last) {
		Mutator mutator = Objects.requireNonNull(last, "last mutator must not be null");
		for (int i = hooks.size() - 1; i >= 0; i--) {
			mutator = wrap(hooks.get(i), mutator);
		}
		return mutator;
	}

	/**
	 * Applies one hook to {@code next}, refusing a {@literal null} result.
	 * @throws IllegalStateException if the hook returns {@literal null}
	 */
	public static Mutator wrap(Hook hook, Mutator next) {
		Mutator mutator = hook.apply(next);
		if (mutator == null) {
			throw new IllegalStateException("hook " + describe(hook)
					+ " returned null from apply(next); it must return a Mutator, for example m -> next.mutate(m)");
		}
		return mutator;
	}

	static String describe(Hook hook) {
		return hook.getClass().isSynthetic() || hook.getClass().getSimpleName().contains("$$Lambda")
				? hook.getClass().getName().replaceAll("\\$\\$Lambda.*", " (lambda)") : hook.getClass().getName();
	}

}
