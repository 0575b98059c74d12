package io.mutationhooks.effects;

import java.time.Instant;
import java.util.List;

/**
 * A stored effect, as an operator sees it.
 * @param id the effect's id, for {@link EffectBacklog#rerun(String)} and {@link EffectBacklog#discard(String)}
 * @param effect the effect's name
 * @param deduplicationKey the key it was requested with, or {@literal null}
 * @param payloads its payloads, as stored JSON
 * @param status where it is
 * @param attempts how often it has been tried
 * @param lastError what made the last attempt fail, or {@literal null}
 * @param requestedAt when it was requested
 * @param lastAttemptAt when it was last tried, or {@literal null}
 * @param nextAttemptAt when it runs next, or {@literal null} when parked
 * @param parkedAt when it was parked, or {@literal null}
 */
public record EffectRecord(String id, String effect, String deduplicationKey, List<String> payloads,
		EffectStatus status, int attempts, String lastError, Instant requestedAt, Instant lastAttemptAt,
		Instant nextAttemptAt, Instant parkedAt) {

}
