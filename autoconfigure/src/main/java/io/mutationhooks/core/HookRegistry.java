package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Hook;
import io.mutationhooks.Hooks;

/**
 * The hooks that run around writes: global hooks first, then hooks scoped to an entity type, each group in the
 * order given. {@link #use(Hook...)} and {@link #use(Class, Hook...)} add hooks at runtime, like Ent's
 * {@code client.Use} and {@code client.User.Use}. The hook list of each entity type is resolved once and kept
 * until the next {@code use}.
 */
public final class HookRegistry {

	private volatile Snapshot snapshot = new Snapshot(List.of(), List.of());

	/** A registry with no hooks. */
	public HookRegistry() {
	}

	/**
	 * A registry holding {@code hooks}, already in order; {@link EntityHook}s go to the entity-scoped group.
	 * @param hooks the hooks, none {@literal null}
	 */
	public HookRegistry(Collection<? extends Hook> hooks) {
		use(hooks.toArray(Hook[]::new));
	}

	/** Adds hooks for every entity type, after those already there ({@link EntityHook}s join their own group). */
	public synchronized void use(Hook... hooks) {
		requireHooks(hooks);
		List<Hook> global = new ArrayList<>(this.snapshot.globalHooks);
		List<EntityHook> scoped = new ArrayList<>(this.snapshot.entityHooks);
		for (Hook hook : hooks) {
			if (hook instanceof EntityHook entityHook) {
				scoped.add(entityHook);
			}
			else {
				global.add(hook);
			}
		}
		this.snapshot = new Snapshot(global, scoped);
	}

	/** Adds hooks that run only for {@code type} and its subtypes, after the entity hooks already there. */
	public synchronized void use(Class<?> type, Hook... hooks) {
		if (type == null) {
			throw new IllegalArgumentException("entity type must not be null");
		}
		requireHooks(hooks);
		List<EntityHook> scoped = new ArrayList<>(this.snapshot.entityHooks);
		for (Hook hook : hooks) {
			scoped.add(Hooks.forEntity(type, hook));
		}
		this.snapshot = new Snapshot(this.snapshot.globalHooks, scoped);
	}

	/** The hooks for writes of {@code type}, in running order: global ones, then those scoped to the type. */
	public List<Hook> hooksFor(Class<?> type) {
		return this.snapshot.resolved(type).hooks();
	}

	/**
	 * What runs around writes of {@code type}: {@link #hooksFor(Class)}, each entity hook as
	 * {@link EntityHook#forType(Class)} gives it for the type, so that a hook scoped with
	 * {@link io.mutationhooks.Hooks#forEntity(Class, Hook...) Hooks.forEntity} does not check the type of every
	 * mutation again.
	 */
	public List<Hook> chainFor(Class<?> type) {
		return this.snapshot.resolved(type).chain();
	}

	/** Whether any hook runs for writes of {@code type}. */
	public boolean hasHooks(Class<?> type) {
		return !hooksFor(type).isEmpty();
	}

	/** The global hooks, in order. */
	public List<Hook> globalHooks() {
		return this.snapshot.globalHooks;
	}

	/** The entity-scoped hooks, in order. */
	public List<EntityHook> entityHooks() {
		return this.snapshot.entityHooks;
	}

	/** One immutable state of the registry, with the hook lists it resolved per entity type. */
	private static final class Snapshot {

		private final List<Hook> globalHooks;

		private final List<EntityHook> entityHooks;

		private final Map<Class<?>, Resolved> resolved = new ConcurrentHashMap<>();

		Snapshot(List<Hook> globalHooks, List<EntityHook> entityHooks) {
			this.globalHooks = List.copyOf(globalHooks);
			this.entityHooks = List.copyOf(entityHooks);
		}

		Resolved resolved(Class<?> type) {
			Resolved hooks = this.resolved.get(type);
			return hooks != null ? hooks : this.resolved.computeIfAbsent(type, this::resolve);
		}

		private Resolved resolve(Class<?> type) {
			List<Hook> hooks = new ArrayList<>(this.globalHooks);
			List<Hook> innermost = new ArrayList<>();
			for (EntityHook hook : this.entityHooks) {
				if (hook.appliesTo(type)) {
					(hook instanceof InnermostHook ? innermost : hooks).add(hook);
				}
			}
			hooks.addAll(innermost);
			List<Hook> running = hooks.stream().map(hook -> running(hook, type)).toList();
			return new Resolved(List.copyOf(hooks), running);
		}

		private static Hook running(Hook hook, Class<?> type) {
			if (!(hook instanceof EntityHook entityHook)) {
				return hook;
			}
			Hook running = entityHook.forType(type);
			if (running == null) {
				throw new IllegalStateException("entity hook " + hook + " returned null from forType("
						+ type.getName() + "); return the hook to run, such as the hook itself");
			}
			return running;
		}

	}

	/**
	 * The hooks of one entity type: as registered, and as they run.
	 * @param hooks the hooks in running order
	 * @param chain the same hooks, each entity hook as {@link EntityHook#forType(Class)} gives it for the type
	 */
	private record Resolved(List<Hook> hooks, List<Hook> chain) {

	}

	private static void requireHooks(Hook[] hooks) {
		if (hooks == null) {
			throw new IllegalArgumentException("hooks must not be null");
		}
		for (int i = 0; i < hooks.length; i++) {
			if (hooks[i] == null) {
				throw new IllegalArgumentException("hook at index " + i + " is null; pass Hook instances only");
			}
		}
	}

}
