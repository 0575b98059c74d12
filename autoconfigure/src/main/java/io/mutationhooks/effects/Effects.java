package io.mutationhooks.effects;

/**
 * Requests durable effects: work on an external system (an S3 delete, a CRM call, a message to a topic) that must
 * happen once a database write has committed, and must not be lost. What an effect guarantees:
 * <ul>
 * <li>Recorded with the write: inside a transaction, the request is stored in that same database transaction, so a
 * rollback leaves nothing, and a nested {@code REQUIRES_NEW} transaction records its own requests with its own commit.
 * A {@code NESTED} transaction rolled back to its savepoint takes back the requests made since. Without a
 * transaction, the request is stored at once and run right after.</li>
 * <li>Run after commit, soon: the engine is woken when the transaction commits; other instances find it by polling.</li>
 * <li>At least once: retried with exponential backoff while it fails for a reason that may pass; parked, not dropped,
 * when it fails for good or too often (see {@link EffectBacklog}). Handlers must therefore be idempotent.</li>
 * <li>Once at a time across instances: instances on one database never run the same effect at the same time; an
 * instance that dies while running one leaves it to be taken over.</li>
 * </ul>
 * Requests of one effect in one transaction are gathered, so a handler can take many payloads in one call.
 */
public interface Effects {

	/**
	 * Requests the effect named {@code effect} with {@code payload}.
	 * @param effect the {@link EffectHandler#name() name} of a handler; must not be {@literal null}
	 * @param payload an instance of the handler's {@link EffectHandler#payloadType() payload type}, stored as JSON;
	 * must not be {@literal null}
	 * @throws IllegalArgumentException if no handler has that name, the payload is of another type or cannot be
	 * written as JSON; nothing is recorded then
	 */
	void request(String effect, Object payload);

	/**
	 * Requests the effect named {@code effect} with {@code payload}, unless one with the same deduplication key is
	 * already waiting to run: then nothing more is recorded, and that one runs only after the current transaction
	 * commits. A request made while the key's effect runs or is parked is recorded as a follow-up, which may run while
	 * the first still runs. Since a merged request's payload is not kept, a deduplicated handler should read the state
	 * it acts on when it runs.
	 * @param effect the {@link EffectHandler#name() name} of a handler; must not be {@literal null}
	 * @param payload an instance of the handler's payload type; must not be {@literal null}
	 * @param deduplicationKey the key, unique per effect name; must not be {@literal null}
	 * @throws IllegalArgumentException as {@link #request(String, Object)}
	 */
	void request(String effect, Object payload, String deduplicationKey);

}
