package io.mutationhooks.effects;

import java.util.List;
import java.util.Objects;

/**
 * Runs one kind of durable effect; declare it as a bean. A handler must be idempotent: an effect runs at least once,
 * and a process that dies after the external call but before recording it runs that effect again.
 * <p>
 * Throwing from {@link #handle(List)} fails every payload of the call: {@link PermanentEffectFailure} parks them at
 * once, anything else retries them later. To fail some payloads and not others, throw {@link PartialEffectFailure}.
 * @param <P> the payload type, written to the database as JSON; keep it readable from the JSON of older versions, as a
 * payload that can no longer be read is parked with the error
 */
public interface EffectHandler<P> {

	/**
	 * @return the name effects are requested by; unique among handlers, and kept across versions, since stored
	 * effects find their handler by it
	 */
	String name();

	/** @return the class payloads are read as */
	Class<P> payloadType();

	/** @return the most payloads one call of {@link #handle(List)} takes; 1 unless the handler batches */
	default int maxBatchSize() {
		return 1;
	}

	/**
	 * Runs the effect for {@code payloads}.
	 * @param payloads at least one, at most {@link #maxBatchSize()}
	 * @throws Exception to fail them: see the type's description
	 */
	void handle(List<P> payloads) throws Exception;

	/**
	 * A handler that takes one payload a call.
	 * @param name the effect's name
	 * @param payloadType the payload class
	 * @param action what to do with a payload
	 * @return the handler
	 */
	static <P> EffectHandler<P> of(String name, Class<P> payloadType, Action<P> action) {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(payloadType, "payloadType must not be null");
		Objects.requireNonNull(action, "action must not be null");
		return new EffectHandler<>() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public Class<P> payloadType() {
				return payloadType;
			}

			@Override
			public void handle(List<P> payloads) throws Exception {
				for (P payload : payloads) {
					action.run(payload);
				}
			}

			@Override
			public String toString() {
				return "EffectHandler " + name;
			}
		};
	}

	/** What a one-payload handler does. */
	@FunctionalInterface
	interface Action<P> {

		void run(P payload) throws Exception;

	}

}
