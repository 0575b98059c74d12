package io.mutationhooks.effects;

import java.time.Instant;

/**
 * How many stored effects of one name are in one status, and since when the oldest of them was requested.
 * @param effect the effect's name, or {@literal null} for stored records that cannot be read
 * @param status where they are
 * @param count how many there are, at least 1
 * @param oldestRequestedAt when the oldest of them was requested, or {@literal null} if none says
 */
public record EffectCount(String effect, EffectStatus status, long count, Instant oldestRequestedAt) {

}
