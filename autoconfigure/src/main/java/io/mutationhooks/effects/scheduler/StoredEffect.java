package io.mutationhooks.effects.scheduler;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * What db-scheduler stores of an effect as its task data (internal to the store), written as JSON by {@link StoredEffectSerializer}. Payloads
 * stay JSON trees here, so that a payload class that changed cannot make the whole record unreadable.
 * @param effect the handler's name
 * @param deduplicationKey the key it was requested with, or {@literal null}
 * @param payloads the payloads
 * @param requestedAt when it was stored: in its transaction, just before the commit (or with a full batch, earlier)
 * @param attempts how often it was tried
 * @param lastAttemptAt when it was last tried, or {@literal null}
 * @param lastError what made the last attempt fail, or {@literal null}
 * @param parkedAt when it was parked, or {@literal null} while it runs
 * @param attemptsBeforeRerun the attempts made before it was last run again by hand (0 if never): those after it
 * get the whole retry budget again; absent from records written before it existed, so 0 there
 */
public record StoredEffect(String effect, String deduplicationKey, List<JsonNode> payloads, Instant requestedAt,
		int attempts, Instant lastAttemptAt, String lastError, Instant parkedAt, int attemptsBeforeRerun) {

	static StoredEffect requested(String effect, String deduplicationKey, List<JsonNode> payloads, Instant now) {
		return new StoredEffect(effect, deduplicationKey, List.copyOf(payloads), now, 0, null, null, null, 0);
	}

	StoredEffect failed(List<JsonNode> remaining, Instant now, String error) {
		return new StoredEffect(this.effect, this.deduplicationKey, List.copyOf(remaining), this.requestedAt,
				this.attempts + 1, now, error, null, this.attemptsBeforeRerun);
	}

	StoredEffect parked(List<JsonNode> remaining, Instant now, String error) {
		return new StoredEffect(this.effect, this.deduplicationKey, List.copyOf(remaining), this.requestedAt,
				this.attempts + 1, now, error, now, this.attemptsBeforeRerun);
	}

	/** Run again by hand: the attempts so far stay as history, and the retry budget starts anew. */
	StoredEffect rerun() {
		return new StoredEffect(this.effect, this.deduplicationKey, this.payloads, this.requestedAt, this.attempts,
				this.lastAttemptAt, this.lastError, null, this.attempts);
	}

	/** The attempts made since it was requested, or since it was last run again by hand. */
	int attemptsSinceRerun() {
		return this.attempts - this.attemptsBeforeRerun;
	}

	boolean isParked() {
		return this.parkedAt != null;
	}

}
