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
 * registry can be read.
 *
 * @param <H> the type of hook
 */
public final class NamedHooks<H extends Hook> extends AbstractList<H> implements RandomAccess {

	private final List<H> hooks;

	private final List<String> names;

	private final List<String> labels;

	private final boolean anyNamed;

	NamedHooks(List<H> hooks, List<String> names, List<String> labels) {
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
		List<String> hookNames = hooks.stream().map(names::apply).toList();
		return new NamedHooks<>(hooks, hookNames, labels(hooks, hookNames, type));
	}

	/** The same names and labels, for other hooks that stand for these one by one. */
	<R extends Hook> NamedHooks<R> standingFor(List<R> hooks) {
		return new NamedHooks<>(hooks, this.names, this.labels);
	}

	private static List<String> labels(List<? extends Hook> hooks, List<String> names, Class<?> type) {
		return IntStream.range(0, hooks.size()).mapToObj(i -> {
			String description = type != null && hooks.get(i) instanceof DescribedForType described
					? described.describeFor(type) : HookDescriptions.describe(hooks.get(i));
			return names.get(i) == null ? description : names.get(i) + ": " + description;
		}).toList();
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
		return this.labels;
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
		return this.labels.toString();
	}

}
