package io.mutationhooks.effects;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Thrown by a batching handler when some payloads of a call failed and the others are done. Each failed payload is
 * retried or, when its cause is a {@link PermanentEffectFailure}, parked; the payloads not named are done.
 */
public class PartialEffectFailure extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient Map<Object, Throwable> failures;

	/**
	 * @param failures the failed payloads, the very instances the handler was given, with what made each fail; must
	 * not be empty
	 */
	public PartialEffectFailure(Map<?, ? extends Throwable> failures) {
		super(Objects.requireNonNull(failures, "failures must not be null").size() + " payload(s) failed, first: "
				+ failures.values().stream().findFirst().map(Throwable::toString).orElse("none"));
		if (failures.isEmpty()) {
			throw new IllegalArgumentException("failures must not be empty");
		}
		this.failures = new IdentityHashMap<>(failures);
	}

	/** @return the failed payloads, by identity, with their causes */
	public Map<Object, Throwable> failures() {
		return this.failures;
	}

}
