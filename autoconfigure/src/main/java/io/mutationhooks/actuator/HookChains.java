package io.mutationhooks.actuator;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Hooks;
import io.mutationhooks.actuator.MutationHooksEndpoint.ConditionDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.HookDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.QueryDescriptor;
import io.mutationhooks.core.GuardedHook;
import io.mutationhooks.core.NamedHooks;
import io.mutationhooks.jdbc.RepositoryHooksPostProcessor;
import io.mutationhooks.jdbc.RepositoryHooksPostProcessor.UnknownRowsQuery;

/**
 * The hook chain of each mapped entity type as the endpoint shows it: the registry's hooks in running order, each with
 * the bean that declared it, its order, its scope and the conditions of {@code Hooks.on}, {@code unless} and
 * {@code when} around it; and the repository query methods whose rows hooks cannot know.
 */
public final class HookChains {

	private final HookRegistry registry;

	private final Supplier<List<Class<?>>> entityTypes;

	private final ListableBeanFactory beanFactory;

	private final RepositoryHooksPostProcessor queries;

	/**
	 * @param registry the hooks that run
	 * @param entityTypes the mapped entity types, in the order to list them
	 * @param beanFactory where the hook beans are declared, for the names of hooks a registry of the user's own does
	 * not give, and for their {@code @Order}
	 * @param queries the repositories' writing query methods, or {@literal null} if they are not known
	 */
	public HookChains(HookRegistry registry, Supplier<List<Class<?>>> entityTypes, ListableBeanFactory beanFactory,
			RepositoryHooksPostProcessor queries) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.entityTypes = Objects.requireNonNull(entityTypes, "entityTypes must not be null");
		this.beanFactory = Objects.requireNonNull(beanFactory, "beanFactory must not be null");
		this.queries = queries;
	}

	/** The mapped entity types, in listing order. */
	List<Class<?>> entityTypes() {
		return this.entityTypes.get();
	}

	/** The hooks around writes of {@code type}, in running order. */
	List<HookDescriptor> hooksOf(Class<?> type) {
		List<Hook> hooks = this.registry.hooksFor(type);
		NamedHooks<?> named = hooks instanceof NamedHooks<?> namedHooks ? namedHooks : null;
		Map<Hook, String> beanNames = named != null && named.anyNamed() ? Map.of() : beanNames();
		List<HookDescriptor> descriptors = new ArrayList<>(hooks.size());
		for (int i = 0; i < hooks.size(); i++) {
			Hook hook = hooks.get(i);
			String name = named != null && named.nameAt(i) != null ? named.nameAt(i) : beanNames.get(hook);
			String description = named != null ? named.descriptionAt(i) : NamedHooks.describe(hook, type);
			descriptors.add(describe(hook, type, name, description));
		}
		return descriptors;
	}

	/** The writing query methods of {@code type}'s repositories whose rows hooks cannot know. */
	List<QueryDescriptor> unknownRowsQueriesOf(Class<?> type, List<UnknownRowsQuery> all) {
		return all.stream()
			.filter(query -> query.domainType() == type)
			.map(query -> new QueryDescriptor(query.method(), query.op().name()))
			.toList();
	}

	/** Every writing query method whose rows hooks cannot know. */
	List<UnknownRowsQuery> unknownRowsQueries() {
		return this.queries != null ? this.queries.unknownRowsQueries() : List.of();
	}

	private HookDescriptor describe(Hook hook, Class<?> type, String name, String description) {
		boolean scoped = hook instanceof EntityHook;
		List<ConditionDescriptor> conditions = new ArrayList<>();
		Hook inner = unscoped(hook, type);
		while (inner instanceof GuardedHook guarded) {
			conditions.add(new ConditionDescriptor(guarded.guard(), guarded.condition()));
			inner = unscoped(guarded.guarded(), type);
		}
		return new HookDescriptor(name, typeOf(inner), description, orderOf(name, hook), scoped ? "entity" : "global",
				scoped ? scopeOf((EntityHook) hook, type).getName() : null, conditions);
	}

	/**
	 * The type an entity hook is scoped to; the listed type for one that chooses its types itself
	 * ({@link EntityHook#appliesTo(Class)}) under {@code Object}, as the S3 sync does.
	 */
	private static Class<?> scopeOf(EntityHook hook, Class<?> type) {
		return hook.entityType() == Object.class ? type : hook.entityType();
	}

	/** The hook a helper of {@link Hooks} scoped to an entity type runs for {@code type}; any other hook as it is. */
	private static Hook unscoped(Hook hook, Class<?> type) {
		return hook instanceof EntityHook scoped && isHelper(hook) ? scoped.forType(type) : hook;
	}

	/**
	 * The class of the hook, lambdas named by the class that declared them; {@literal null} for one a helper of
	 * {@link Hooks} made, which its description tells.
	 */
	private static String typeOf(Hook hook) {
		if (isHelper(hook)) {
			return null;
		}
		String name = hook.getClass().getName();
		int lambda = name.indexOf("$$Lambda");
		return lambda >= 0 ? name.substring(0, lambda) + " lambda" : name;
	}

	private static boolean isHelper(Hook hook) {
		return hook.getClass().getEnclosingClass() == Hooks.class;
	}

	/** The hook's own order, or that of its bean's {@code @Order}; {@literal null} for neither. */
	private Integer orderOf(String beanName, Hook hook) {
		if (hook instanceof Ordered ordered) {
			return ordered.getOrder();
		}
		if (beanName != null && this.beanFactory.containsBean(beanName)) {
			Order order = this.beanFactory.findAnnotationOnBean(beanName, Order.class);
			return order != null ? order.value() : null;
		}
		return null;
	}

	private Map<Hook, String> beanNames() {
		Map<Hook, String> names = new IdentityHashMap<>();
		this.beanFactory.getBeansOfType(Hook.class, false, false).forEach((name, hook) -> names.put(hook, name));
		return names;
	}

}
