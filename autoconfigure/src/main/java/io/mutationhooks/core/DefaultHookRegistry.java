package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Hooks;

/**
 * The {@link HookRegistry} the starter uses: the hook list of each entity type is resolved once and kept until the
 * next {@code use}, with the hooks as they run ({@link #chainFor(Class)}) beside them.
 */
public final class DefaultHookRegistry implements HookRegistry {

	private final Function<Hook, String> names;

	private volatile Snapshot snapshot;

	/** A registry with no hooks. */
	public DefaultHookRegistry() {
		this(List.of(), hook -> null);
	}

	/**
	 * A registry holding {@code hooks}, already in order; {@link EntityHook}s go to the entity-scoped group.
	 * @param hooks the hooks, none {@literal null}
	 */
	public DefaultHookRegistry(Collection<? extends Hook> hooks) {
		this(hooks, hook -> null);
	}

	/**
	 * A registry holding {@code hooks}, already in order, with their names (the beans that declared them), which
	 * listings such as {@link #hooksFor(Class)} print and failure messages give.
	 * @param hooks the hooks, none {@literal null}
	 * @param names the name of a hook, or {@literal null} for a hook without one
	 */
	public DefaultHookRegistry(Collection<? extends Hook> hooks, Function<? super Hook, String> names) {
		Objects.requireNonNull(names, "names must not be null");
		Map<Hook, String> known = new IdentityHashMap<>();
		for (Hook hook : hooks) {
			String name = hook != null ? names.apply(hook) : null;
			if (name != null) {
				known.put(hook, name);
			}
		}
		this.names = known::get;
		this.snapshot = new Snapshot(List.of(), List.of(), this.names);
		use(hooks.toArray(Hook[]::new));
	}

	@Override
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
		this.snapshot = new Snapshot(global, scoped, this.names);
	}

	@Override
	public synchronized void use(Class<?> type, Hook... hooks) {
		if (type == null) {
			throw new IllegalArgumentException("entity type must not be null");
		}
		requireHooks(hooks);
		List<EntityHook> scoped = new ArrayList<>(this.snapshot.entityHooks);
		for (Hook hook : hooks) {
			scoped.add(Hooks.forEntity(type, hook));
		}
		this.snapshot = new Snapshot(this.snapshot.globalHooks, scoped, this.names);
	}

	@Override
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

	/**
	 * Whether one of the hooks of {@code type} is a {@link PreparingHook}: decided once per type, not per write.
	 */
	public boolean prepares(Class<?> type) {
		return this.snapshot.resolved(type).prepares();
	}

	@Override
	public boolean hasHooks(Class<?> type) {
		return !hooksFor(type).isEmpty();
	}

	@Override
	public List<Hook> globalHooks() {
		return this.snapshot.globalHooks;
	}

	@Override
	public List<EntityHook> entityHooks() {
		return this.snapshot.entityHooks;
	}

	/** One immutable state of the registry, with the hook lists it resolved per entity type. */
	private static final class Snapshot {

		private final List<Hook> globalHooks;

		private final List<EntityHook> entityHooks;

		private final Function<Hook, String> names;

		private final Map<Class<?>, Resolved> resolved = new ConcurrentHashMap<>();

		Snapshot(List<Hook> globalHooks, List<EntityHook> entityHooks, Function<Hook, String> names) {
			this.globalHooks = NamedHooks.of(globalHooks, names);
			this.entityHooks = NamedHooks.of(entityHooks, names);
			this.names = names;
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
			NamedHooks<Hook> named = NamedHooks.of(hooks, this.names, type);
			boolean prepares = hooks.stream().anyMatch(PreparingHook.class::isInstance);
			return new Resolved(named, named.standingFor(hooks.stream().map(hook -> running(hook, type)).toList()),
					prepares);
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
	 * @param chain the same hooks, each entity hook as {@link EntityHook#forType(Class)} gives it for the type, with
	 * the names of the hooks they stand for
	 * @param prepares whether one of them is a {@link PreparingHook}
	 */
	private record Resolved(List<Hook> hooks, List<Hook> chain, boolean prepares) {

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
