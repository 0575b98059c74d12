package io.mutationhooks.effects;

/**
 * Thrown by a handler when no retry can help (the external system refused the request for good): the payloads are
 * parked at once, to be run again or discarded by an operator.
 */
public class PermanentEffectFailure extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PermanentEffectFailure(String message) {
		super(message);
	}

	public PermanentEffectFailure(String message, Throwable cause) {
		super(message, cause);
	}

}
