package io.mutationhooks.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import io.mutationhooks.Mutation;
import io.mutationhooks.Op;
import io.mutationhooks.metrics.MutationObservationDocumentation.HighCardinalityKeys;
import io.mutationhooks.metrics.MutationObservationDocumentation.LowCardinalityKeys;

/**
 * Names the observation of a hooked write {@value #NAME}, with the keys of {@link MutationObservationDocumentation};
 * its contextual name (a span's name) is the operation and the entity, as in {@code create User}.
 */
public class DefaultMutationObservationConvention implements MutationObservationConvention {

	/** The name of the observation, and so of its timer. */
	public static final String NAME = "mutation.hooks.write";

	private static final String MIXED = "mixed";

	private static final String NONE = "none";

	private static final KeyValue[] OPERATIONS = new KeyValue[Op.values().length];

	static {
		for (Op op : Op.values()) {
			OPERATIONS[op.ordinal()] = KeyValue.of(LowCardinalityKeys.OPERATION, op.name().toLowerCase(Locale.ROOT));
		}
	}

	private static final KeyValue MIXED_OPERATION = KeyValue.of(LowCardinalityKeys.OPERATION, MIXED);

	private static final KeyValue BATCH = KeyValue.of(LowCardinalityKeys.BATCH, "true");

	private static final KeyValue SINGLE = KeyValue.of(LowCardinalityKeys.BATCH, "false");

	private static final KeyValue NO_HOOK = KeyValue.of(LowCardinalityKeys.HOOK, NONE);

	private static final KeyValue MIXED_ENTITY = KeyValue.of(LowCardinalityKeys.ENTITY, MIXED);

	private static final KeyValue[] OUTCOMES = new KeyValue[MutationObservationContext.Outcome.values().length];

	static {
		for (MutationObservationContext.Outcome outcome : MutationObservationContext.Outcome.values()) {
			OUTCOMES[outcome.ordinal()] = KeyValue.of(LowCardinalityKeys.OUTCOME, outcome.value());
		}
	}

	private static final KeyValue RUNNING = KeyValue.of(LowCardinalityKeys.OUTCOME, "running");

	/** The entity key and the contextual names of each type, made once: a write is timed on every save. */
	private static final ClassValue<EntityNames> ENTITY_NAMES = new ClassValue<>() {
		@Override
		protected EntityNames computeValue(Class<?> type) {
			return new EntityNames(type);
		}
	};

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(MutationObservationContext context) {
		Class<?> type = sharedType(context);
		KeyValue operation = operation(context);
		if (type != null && operation != MIXED_OPERATION) {
			return ENTITY_NAMES.get(type).contextualNames[context.mutation().op().ordinal()];
		}
		return operation.getValue() + " " + (type != null ? type.getSimpleName() : MIXED);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(MutationObservationContext context) {
		MutationObservationContext.Outcome outcome = context.outcome();
		String hook = context.refusingHook();
		Class<?> type = sharedType(context);
		KeyValue operation = operation(context);
		if (type != null && hook == null && operation != MIXED_OPERATION) {
			// The usual write: its keys are made once per type, not sorted anew at its start and its end.
			return ENTITY_NAMES.get(type).keys(context.mutation().op(), outcome, context.isBatch());
		}
		return KeyValues.of(type != null ? ENTITY_NAMES.get(type).entity : MIXED_ENTITY, operation,
				outcome != null ? OUTCOMES[outcome.ordinal()] : RUNNING,
				hook != null ? KeyValue.of(LowCardinalityKeys.HOOK, hook) : NO_HOOK,
				context.isBatch() ? BATCH : SINGLE);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(MutationObservationContext context) {
		if (context.outcome() == null) {
			// Asked again when the write ends, when a create knows its id: once is enough.
			return KeyValues.empty();
		}
		Mutation<?> mutation = context.mutation();
		Object id = !context.isBatch() && mutation.op().is(Op.CREATE, Op.UPDATE_ONE, Op.DELETE_ONE)
				&& mutation.rowsKnown() ? mutation.id() : null;
		String count = context.isBatch() ? String.valueOf(context.mutations().size())
				: mutation.op() == Op.DELETE && mutation.rowsKnown() ? String.valueOf(mutation.ids().size()) : null;
		Optional<String> query = mutation.query();
		if (count == null && query.isEmpty()) {
			// The usual write, of one entity by id: its id, if it has one, with no list of keys to sort.
			return id != null ? KeyValues.of(KeyValue.of(HighCardinalityKeys.ID, String.valueOf(id))) : KeyValues.empty();
		}
		List<KeyValue> values = new ArrayList<>(3);
		if (id != null) {
			values.add(KeyValue.of(HighCardinalityKeys.ID, String.valueOf(id)));
		}
		if (count != null) {
			values.add(KeyValue.of(HighCardinalityKeys.COUNT, count));
		}
		query.ifPresent(text -> values.add(KeyValue.of(HighCardinalityKeys.QUERY, text)));
		return KeyValues.of(values);
	}

	/** The type of every mutation, or {@literal null} if a batch mixes types. */
	private static Class<?> sharedType(MutationObservationContext context) {
		List<? extends Mutation<?>> mutations = context.mutations();
		Class<?> type = mutations.get(0).type();
		for (int i = 1; i < mutations.size(); i++) {
			if (mutations.get(i).type() != type) {
				return null;
			}
		}
		return type;
	}

	private static KeyValue operation(MutationObservationContext context) {
		List<? extends Mutation<?>> mutations = context.mutations();
		Op op = mutations.get(0).op();
		for (int i = 1; i < mutations.size(); i++) {
			if (mutations.get(i).op() != op) {
				return MIXED_OPERATION;
			}
		}
		return OPERATIONS[op.ordinal()];
	}

	/**
	 * An entity type's key value, its contextual name for each operation, and the low-cardinality keys of each
	 * operation, outcome (or none yet) and batch or single write that no hook refused.
	 */
	private static final class EntityNames {

		final KeyValue entity;

		final String[] contextualNames = new String[Op.values().length];

		/** By operation, then outcome (0 while running, else its ordinal + 1), then single (0) or batch (1). */
		private final KeyValues[][][] keys = new KeyValues[Op.values().length][OUTCOMES.length + 1][2];

		EntityNames(Class<?> type) {
			this.entity = KeyValue.of(LowCardinalityKeys.ENTITY, type.getSimpleName());
			for (Op op : Op.values()) {
				this.contextualNames[op.ordinal()] = OPERATIONS[op.ordinal()].getValue() + " " + type.getSimpleName();
				for (int outcome = 0; outcome <= OUTCOMES.length; outcome++) {
					for (int batch = 0; batch < 2; batch++) {
						this.keys[op.ordinal()][outcome][batch] = KeyValues.of(this.entity, OPERATIONS[op.ordinal()],
								outcome == 0 ? RUNNING : OUTCOMES[outcome - 1], NO_HOOK, batch == 1 ? BATCH : SINGLE);
					}
				}
			}
		}

		KeyValues keys(Op op, MutationObservationContext.Outcome outcome, boolean batch) {
			return this.keys[op.ordinal()][outcome == null ? 0 : outcome.ordinal() + 1][batch ? 1 : 0];
		}

	}

}
