package io.mutationhooks.metrics;

import java.util.List;
import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.core.WriteObserver;

/**
 * Makes each hooked write a Micrometer {@link Observation} ({@link MutationObservationDocumentation#WRITE}): a timer,
 * and a span where tracing is on, with the write's scope open while its hooks run, so that the writes and queries
 * they make are its children.
 */
public final class MutationObservations implements WriteObserver {

	private static final DefaultMutationObservationConvention DEFAULT_CONVENTION = new DefaultMutationObservationConvention();

	private final ObservationRegistry registry;

	private final MutationObservationConvention convention;

	/**
	 * @param registry where the observations go
	 * @param convention the application's convention, or {@literal null} for a global one of the registry, or else
	 * {@link DefaultMutationObservationConvention}
	 */
	public MutationObservations(ObservationRegistry registry, MutationObservationConvention convention) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.convention = convention;
	}

	@Override
	public ObservedWrite writing(Mutation<?> mutation) {
		return start(new MutationObservationContext(List.of(mutation), false));
	}

	@Override
	public ObservedWrite writingAll(List<? extends Mutation<?>> mutations) {
		return start(new MutationObservationContext(mutations, true));
	}

	private ObservedWrite start(MutationObservationContext context) {
		Observation observation = MutationObservationDocumentation.WRITE
			.start(this.convention, DEFAULT_CONVENTION, () -> context, this.registry);
		return new Observed(observation, observation.openScope(), context);
	}

	/** One running observation, its scope open on the writing thread. */
	private record Observed(Observation observation, Observation.Scope scope,
			MutationObservationContext context) implements ObservedWrite {

		@Override
		public void done() {
			end(MutationObservationContext.Outcome.DONE, null);
		}

		@Override
		public void refused(MutationException refusal) {
			try {
				this.observation.error(refusal);
			}
			finally {
				end(MutationObservationContext.Outcome.REFUSED, refusal.getHook());
			}
		}

		@Override
		public void failed(Throwable failure) {
			try {
				this.observation.error(failure);
			}
			finally {
				end(MutationObservationContext.Outcome.FAILED, null);
			}
		}

		/** Ends the observation; its scope is closed whatever a handler throws, so the thread is left clean. */
		private void end(MutationObservationContext.Outcome outcome, String hook) {
			this.context.ended(outcome, hook);
			try {
				this.scope.close();
			}
			finally {
				this.observation.stop();
			}
		}

	}

}
