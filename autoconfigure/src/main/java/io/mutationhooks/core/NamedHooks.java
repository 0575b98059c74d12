package io.mutationhooks.core;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import io.mutationhooks.Hook;

/**
 * An unmodifiable list of hooks that knows their names (the beans that declared them) and prints them with what
 * they are, such as {@code [audit: LoggingHook, requireName: on(CREATE, UserHooks lambda)]}, so a listing of the
 * registry can be read. What they are is asked only when the list is printed, once: a hook bean's {@code toString}
 * may be costly, or fail outside its scope (a scoped proxy), and start-up and writes need only the names.
 *
 * @param <H> the type of hook
 */
public final class NamedHooks<H extends Hook> extends AbstractList<H> implements RandomAccess {

	private final List<H> hooks;

	private final List<String> names;

	private final Labels labels;

	private final boolean anyNamed;

	private NamedHooks(List<H> hooks, List<String> names, Labels labels) {
		this.hooks = List.copyOf(hooks);
		this.names = names;
		this.labels = labels;
		this.anyNamed = names.stream().anyMatch(name -> name != null);
	}

	/**
	 * {@code hooks}, named by {@code names} (which gives {@literal null} for an unnamed hook) and labelled by name
	 * and description.
	 */
	static <H extends Hook> NamedHooks<H> of(List<H> hooks, Function<Hook, String> names) {
		return of(hooks, names, null);
	}

	/**
	 * {@code hooks} as they run for writes of {@code type}: a {@link DescribedForType} hook is labelled with what it
	 * does for that type.
	 */
	static <H extends Hook> NamedHooks<H> of(List<H> hooks, Function<Hook, String> names, Class<?> type) {
		List<H> copy = List.copyOf(hooks);
		List<String> hookNames = copy.stream().map(names::apply).toList();
		return new NamedHooks<>(copy, hookNames, new Labels(copy, hookNames, type));
	}

	/** The same names and labels, for other hooks that stand for these one by one. */
	<R extends Hook> NamedHooks<R> standingFor(List<R> hooks) {
		return new NamedHooks<>(hooks, this.names, this.labels);
	}

	@Override
	public H get(int index) {
		return this.hooks.get(index);
	}

	@Override
	public int size() {
		return this.hooks.size();
	}

	/**
	 * The name of the hook at {@code index}: the bean that declared it.
	 * @return the name, or {@literal null} if the hook was registered without one
	 */
	public String nameAt(int index) {
		return this.names.get(index);
	}

	/** Whether any hook here has a name. */
	public boolean anyNamed() {
		return this.anyNamed;
	}

	/** Each hook as its name and what it is, in order. */
	public List<String> labels() {
		return this.labels.get();
	}

	/**
	 * What the hook at {@code index} is, as its label says after its name: for a list of one entity type's hooks, a
	 * {@link DescribedForType} hook says what it does for that type.
	 */
	public String descriptionAt(int index) {
		return this.labels.description(index);
	}

	/**
	 * What {@code hook} is, as listings print it after its name.
	 * @param hook the hook
	 * @param type the entity type whose writes it runs around, or {@literal null} for a listing of no one type
	 * @return for a {@link DescribedForType} hook and a type, what it does for that type; otherwise
	 * {@link HookDescriptions#describe(Object)}
	 */
	public static String describe(Hook hook, Class<?> type) {
		return type != null && hook instanceof DescribedForType described ? described.describeFor(type)
				: HookDescriptions.describe(hook);
	}

	@Override
	public Iterator<H> iterator() {
		return this.hooks.iterator();
	}

	@Override
	public ListIterator<H> listIterator(int index) {
		return this.hooks.listIterator(index);
	}

	// AbstractList refuses changes, except those that would change nothing: refuse those too.
	@Override
	public boolean addAll(Collection<? extends H> hooks) {
		throw unmodifiable();
	}

	@Override
	public boolean addAll(int index, Collection<? extends H> hooks) {
		throw unmodifiable();
	}

	@Override
	public boolean remove(Object hook) {
		throw unmodifiable();
	}

	@Override
	public boolean removeAll(Collection<?> hooks) {
		throw unmodifiable();
	}

	@Override
	public boolean retainAll(Collection<?> hooks) {
		throw unmodifiable();
	}

	@Override
	public boolean removeIf(Predicate<? super H> filter) {
		throw unmodifiable();
	}

	@Override
	public void replaceAll(UnaryOperator<H> operator) {
		throw unmodifiable();
	}

	@Override
	public void sort(Comparator<? super H> comparator) {
		throw unmodifiable();
	}

	@Override
	public void clear() {
		throw unmodifiable();
	}

	private static UnsupportedOperationException unmodifiable() {
		return new UnsupportedOperationException("the hooks of a registry cannot be changed; use HookRegistry.use to add hooks");
	}

	@Override
	public String toString() {
		return labels().toString();
	}

	/**
	 * The labels of hooks as registered, made when first asked for; shared by the hooks that stand for them one by
	 * one.
	 */
	private static final class Labels {

		private final List<? extends Hook> hooks;

		private final List<String> names;

		private final Class<?> type;

		private volatile List<String> labels;

		Labels(List<? extends Hook> hooks, List<String> names, Class<?> type) {
			this.hooks = hooks;
			this.names = names;
			this.type = type;
		}

		List<String> get() {
			List<String> labels = this.labels;
			if (labels == null) {
				// Two threads printing at once may both describe the hooks: cheaper than a lock on every print.
				labels = IntStream.range(0, this.hooks.size()).mapToObj(this::label).toList();
				this.labels = labels;
			}
			return labels;
		}

		String description(int index) {
			return describe(this.hooks.get(index), this.type);
		}

		private String label(int index) {
			String description = description(index);
			String name = this.names.get(index);
			return name == null ? description : name + ": " + description;
		}

	}

}
