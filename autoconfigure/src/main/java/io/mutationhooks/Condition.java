package io.mutationhooks;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

import io.mutationhooks.core.HookDescriptions;

/**
 * A predicate on a mutation, used with {@link Hooks#when(Hook, Condition)}: Ent's {@code hook.Condition}.
 */
@FunctionalInterface
public interface Condition {

	/**
	 * Whether the condition holds for the mutation.
	 * @param mutation the mutation about to be written
	 * @return {@code true} if the guarded hook should run
	 */
	boolean test(Mutation<?> mutation);

	/** Holds when the mutation's operation is one of {@code ops}. */
	static Condition hasOp(Op... ops) {
		Op[] copy = requireNonEmpty(ops, "ops").clone();
		return named(() -> "hasOp(" + opNames(copy) + ")", mutation -> mutation.op().is(copy));
	}

	/** Holds when every named field is set on create or changed on update. */
	static Condition hasFields(String... fields) {
		String[] copy = requireNonEmpty(fields, "fields").clone();
		return named(() -> "hasFields(" + String.join(", ", copy) + ")",
				mutation -> mutation.fields().containsAll(Arrays.asList(copy)));
	}

	/** Holds when every named field is cleared (set to {@literal null}) by the mutation. */
	static Condition hasClearedFields(String... fields) {
		String[] copy = requireNonEmpty(fields, "fields").clone();
		return named(() -> "hasClearedFields(" + String.join(", ", copy) + ")",
				mutation -> mutation.clearedFields().containsAll(Arrays.asList(copy)));
	}

	/** Holds when all conditions hold. */
	static Condition and(Condition first, Condition... more) {
		Condition[] all = all(first, more);
		return named(() -> describe("and", all), mutation -> {
			for (Condition condition : all) {
				if (!condition.test(mutation)) {
					return false;
				}
			}
			return true;
		});
	}

	/** Holds when at least one condition holds. */
	static Condition or(Condition first, Condition... more) {
		Condition[] all = all(first, more);
		return named(() -> describe("or", all), mutation -> {
			for (Condition condition : all) {
				if (condition.test(mutation)) {
					return true;
				}
			}
			return false;
		});
	}

	/** Holds when {@code condition} does not. */
	static Condition not(Condition condition) {
		Objects.requireNonNull(condition, "condition must not be null");
		return named(() -> "not(" + HookDescriptions.describe(condition) + ")", mutation -> !condition.test(mutation));
	}

	/** The operations as the descriptions of hooks and conditions show them: {@code CREATE|UPDATE_ONE}. */
	static String opNames(Op... ops) {
		return String.join("|", Arrays.stream(requireNonEmpty(ops, "ops")).map(Op::name).toList());
	}

	private static String describe(String name, Condition[] conditions) {
		return name + "(" + String.join(", ", Arrays.stream(conditions).map(HookDescriptions::describe).toList())
				+ ")";
	}

	/** {@code condition}, which says {@code description} when printed; made only then, as the hooks' descriptions. */
	private static Condition named(Supplier<String> description, Condition condition) {
		return new Condition() {

			@Override
			public boolean test(Mutation<?> mutation) {
				return condition.test(mutation);
			}

			@Override
			public String toString() {
				return description.get();
			}

		};
	}

	private static Condition[] all(Condition first, Condition... more) {
		Objects.requireNonNull(more, "conditions must not be null");
		Condition[] all = new Condition[more.length + 1];
		all[0] = Objects.requireNonNull(first, "condition must not be null");
		for (int i = 0; i < more.length; i++) {
			all[i + 1] = Objects.requireNonNull(more[i], "condition must not be null");
		}
		return all;
	}

	private static <E> E[] requireNonEmpty(E[] values, String name) {
		if (values == null || values.length == 0) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		for (E value : values) {
			Objects.requireNonNull(value, name + " must not contain null");
		}
		return values;
	}

}
