package io.mutationhooks.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an observation of a hooked write and its keys. Declare a bean of this type to replace
 * {@link DefaultMutationObservationConvention} (extend it to add keys).
 */
public interface MutationObservationConvention extends ObservationConvention<MutationObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof MutationObservationContext;
	}

}
