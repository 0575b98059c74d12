package io.mutationhooks.metrics;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/** The observation of hooked writes and its keys, as {@link DefaultMutationObservationConvention} writes them. */
public enum MutationObservationDocumentation implements ObservationDocumentation {

	/** One hooked write: its hooks and the write, up to the end of its chain (not the commit). */
	WRITE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultMutationObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeys.values();
		}

	};

	/** Keys with few values: on the timer and the span. */
	public enum LowCardinalityKeys implements KeyName {

		/** The entity type's simple name ({@code User}); {@code mixed} for a batch of several types. */
		ENTITY {
			@Override
			public String asString() {
				return "mutation.entity";
			}
		},

		/**
		 * The operation in lower case: {@code create}, {@code update_one}, {@code update}, {@code delete_one},
		 * {@code delete}; {@code mixed} for a batch of creates and updates.
		 */
		OPERATION {
			@Override
			public String asString() {
				return "mutation.operation";
			}
		},

		/**
		 * {@code done}, {@code refused} (a hook refused or failed) or {@code failed} (the write itself failed);
		 * {@code running} while it runs (on the long task timer of the writes in progress).
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "mutation.outcome";
			}
		},

		/** The bean name of the hook that refused the write; {@code none} when none did, or it has no name. */
		HOOK {
			@Override
			public String asString() {
				return "mutation.hook";
			}
		},

		/** {@code true} for a batched write ({@code saveAll}, {@code insertAll}, {@code updateAll}), else {@code false}. */
		BATCH {
			@Override
			public String asString() {
				return "mutation.batch";
			}
		}

	}

	/** Keys with many values: on the span only. */
	public enum HighCardinalityKeys implements KeyName {

		/** The id of a write of one row ({@code create}, after the write; {@code update_one}; {@code delete_one}). */
		ID {
			@Override
			public String asString() {
				return "mutation.id";
			}
		},

		/** How many aggregates the write covers, when known: the entities of a batch, the ids of a bulk delete. */
		COUNT {
			@Override
			public String asString() {
				return "mutation.count";
			}
		},

		/** The repository method of a query write ({@code UserRepository.deleteByName(String)}). */
		QUERY {
			@Override
			public String asString() {
				return "mutation.query";
			}
		}

	}

}
