package io.mutationhooks;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import io.mutationhooks.core.DefaultHookRegistry;

/**
 * The hooks that run around writes: global hooks first, then hooks scoped to an entity type ({@link EntityHook}s),
 * each group in the order given. The starter builds one from the {@link Hook} beans, in {@code @Order}, and writes
 * ask it for their hooks; {@link #use(Hook...)} and {@link #use(Class, Hook...)} add hooks at runtime, like Ent's
 * {@code client.Use} and {@code client.User.Use}.
 * <p>
 * Listings print each hook with the name of the bean that declared it and what it is, so
 * {@code registry.hooksFor(User.class)} shows the order in which hooks run around a {@code User} write.
 */
public interface HookRegistry {

	/**
	 * Adds hooks for every entity type, after those already there; {@link EntityHook}s join the entity-scoped group.
	 * @param hooks the hooks, none {@literal null}
	 * @throws IllegalArgumentException if {@code hooks} or one of them is {@literal null}
	 */
	void use(Hook... hooks);

	/**
	 * Adds hooks that run only for {@code type} and its subtypes, after the entity hooks already there.
	 * @param type the entity type, must not be {@literal null}
	 * @param hooks the hooks, none {@literal null}
	 * @throws IllegalArgumentException if {@code type}, {@code hooks} or one of them is {@literal null}
	 */
	void use(Class<?> type, Hook... hooks);

	/**
	 * The hooks for writes of {@code type}, in running order: global ones, then those scoped to the type.
	 * @param type an entity type
	 * @return an unmodifiable list, which prints each hook with its bean name and what it is
	 */
	List<Hook> hooksFor(Class<?> type);

	/** Whether any hook runs for writes of {@code type}. */
	boolean hasHooks(Class<?> type);

	/** The global hooks, in order. */
	List<Hook> globalHooks();

	/** The entity-scoped hooks, in order. */
	List<EntityHook> entityHooks();

	/**
	 * A registry holding {@code hooks}, already in running order, for an application that builds its own
	 * {@code HookRegistry} bean.
	 * @param hooks the hooks, none {@literal null}
	 */
	static HookRegistry of(Hook... hooks) {
		if (hooks == null) {
			throw new IllegalArgumentException("hooks must not be null");
		}
		return of(Arrays.asList(hooks));
	}

	/**
	 * A registry holding {@code hooks}, already in running order.
	 * @param hooks the hooks, none {@literal null}
	 */
	static HookRegistry of(Collection<? extends Hook> hooks) {
		return new DefaultHookRegistry(hooks);
	}

	/**
	 * A registry holding {@code hooks}, already in running order, with their names (the beans that declared them),
	 * which listings print and failure messages give.
	 * @param hooks the hooks, none {@literal null}
	 * @param names the name of a hook, or {@literal null} for a hook without one
	 */
	static HookRegistry of(Collection<? extends Hook> hooks, Function<? super Hook, String> names) {
		return new DefaultHookRegistry(hooks, names);
	}

}
