package io.mutationhooks.core;

import io.mutationhooks.Hook;

/**
 * A hook that runs another hook only when a condition holds, as {@code Hooks.on}, {@code unless} and {@code when}
 * make them: listings such as the actuator endpoint show the guard and its condition apart from the hook it guards.
 */
public interface GuardedHook extends Hook {

	/** The helper that made this hook: {@code on}, {@code unless} or {@code when}. */
	String guard();

	/**
	 * The condition as the helper was given it: the operations ({@code CREATE|UPDATE_ONE}) or the description of the
	 * {@code Condition} ({@code hasFields(name)}). Made when asked, as every description.
	 */
	String condition();

	/** The hook that runs when the condition holds. */
	Hook guarded();

}
