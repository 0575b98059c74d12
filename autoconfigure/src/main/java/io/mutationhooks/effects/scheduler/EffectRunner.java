package io.mutationhooks.effects.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.effects.EffectHandler;
import io.mutationhooks.effects.EffectListener;
import io.mutationhooks.effects.EffectListener.AttemptOutcome;
import io.mutationhooks.effects.PartialEffectFailure;
import io.mutationhooks.effects.PermanentEffectFailure;

/**
 * Runs a stored effect when db-scheduler picks it: reads its payloads, calls the handler, and then removes the
 * effect, retries what failed for now with backoff, or parks what failed for good. Nothing is dropped: a parked effect
 * stays stored, with its attempts and last error, at a time no poll reaches.
 */
public final class EffectRunner implements ExecutionHandler<StoredEffect> {

	/** The db-scheduler task every effect is an instance of. */
	public static final String TASK_NAME = "mutation-hooks-effect";

	/** Where parked effects wait: far enough that no poll picks them, and within every database's range. */
	static final Instant PARKED_UNTIL = Instant.parse("9999-01-01T00:00:00Z");

	/** What an effect that fails outside its handler (a bug of ours, a lost connection) waits before it runs again. */
	private static final Duration UNEXPECTED_FAILURE_RETRY = Duration.ofSeconds(30);

	/**
	 * How often in a row an effect may fail outside its handler (its instance died while running it, or the outcome
	 * could not be stored) before it is parked: a payload that kills its instance must not kill every instance forever.
	 */
	static final int MAX_FAILURES_OUTSIDE_HANDLER = 5;

	/** The name listeners are given for a stored record that cannot be read. */
	private static final String UNREADABLE = "unknown";

	private static final Logger logger = LoggerFactory.getLogger(EffectRunner.class);

	private final EffectHandlers handlers;

	private final JsonMapper payloadJson;

	private final RetryPolicy retry;

	private EffectListener listener = EffectListener.NONE;

	/**
	 * @param handlers the handlers
	 * @param payloadJson reads payloads, with the application's JSON settings
	 * @param retry when failed effects run again
	 */
	public EffectRunner(EffectHandlers handlers, JsonMapper payloadJson, RetryPolicy retry) {
		this.handlers = Objects.requireNonNull(handlers, "handlers must not be null");
		this.payloadJson = Objects.requireNonNull(payloadJson, "payloadJson must not be null");
		this.retry = Objects.requireNonNull(retry, "retry must not be null");
	}

	/**
	 * Tells {@code listener} how each run ends, from now on.
	 * @param listener the listener; {@link EffectListener#NONE}, the default, listens to nothing
	 */
	public void setListener(EffectListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
	}

	/** @return the db-scheduler task that runs effects with this runner */
	public CustomTask<StoredEffect> task() {
		return Tasks.custom(TASK_NAME, StoredEffect.class)
			.onDeadExecutionRevive()
			.onFailure(new FailureHandler.OnFailureRetryLater<>(UNEXPECTED_FAILURE_RETRY))
			.execute(this);
	}

	@Override
	public CompletionHandler<StoredEffect> execute(TaskInstance<StoredEffect> instance, ExecutionContext context) {
		StoredEffect effect;
		try {
			effect = instance.getData();
		}
		catch (RuntimeException ex) {
			logger.error("Parked effect {}: its stored record cannot be read", SafeText.quote(instance.getId()), ex);
			return told((complete, operations) -> operations.reschedule(complete, PARKED_UNTIL), UNREADABLE,
					AttemptOutcome.PARKED, null);
		}
		if (effect.isParked()) {
			return (complete, operations) -> operations.reschedule(complete, PARKED_UNTIL);
		}
		Instant now = Instant.now();
		int failuresOutside = context.getExecution().consecutiveFailures;
		if (failuresOutside >= MAX_FAILURES_OUTSIDE_HANDLER) {
			String error = "Failed " + failuresOutside + " times in a row outside its handler: the instance running it "
					+ "died, or its outcome could not be stored";
			StoredEffect parkedEffect = effect.parked(effect.payloads(), now, error);
			logger.error("Parked effect {} ({}): {}", SafeText.quote(instance.getId()), SafeText.quote(effect.effect()),
					error);
			return told((complete, operations) -> operations.reschedule(complete, PARKED_UNTIL, parkedEffect),
					effect.effect(), AttemptOutcome.PARKED, null);
		}
		Outcome outcome = this.handlers.named(effect.effect())
			.map(handler -> run(handler, effect.payloads()))
			.orElseGet(() -> Outcome.allRetried(effect.payloads(), "No EffectHandler named "
					+ SafeText.quote(effect.effect()) + " on this instance; another instance may have one"));
		// The attempt's time is when it ended: a retry's backoff counts from there, or a handler that fails slowly (a
		// call that times out) would be retried at once, using up its attempts while the system it calls is down.
		return complete(instance.getId(), effect, outcome, Instant.now(), context.getSchedulerClient());
	}

	private <P> Outcome run(EffectHandler<P> handler, List<JsonNode> payloads) {
		Outcome outcome = new Outcome();
		Map<Object, JsonNode> stored = new IdentityHashMap<>();
		List<P> readable = new ArrayList<>(payloads.size());
		for (JsonNode payload : payloads) {
			try {
				// As the application's mapper reads the stored text: the stored tree holds decimals as BigDecimal (to
				// keep their digits), which untyped values (Object, Map<String, Object>) would get as they are. A
				// JsonNode payload gets the stored tree itself, digits and scale as written.
				Class<P> type = handler.payloadType();
				P value = JsonNode.class.isAssignableFrom(type) ? type.cast(payload.deepCopy())
						: this.payloadJson.readValue(payload.toString(), type);
				if (value == null) {
					// Never given to the handler: List.copyOf would refuse the whole chunk, retried until parked.
					outcome.park(payload, "Payload reads as null as " + handler.payloadType().getName());
					continue;
				}
				stored.put(value, payload);
				readable.add(value);
			}
			catch (RuntimeException ex) {
				outcome.park(payload, "Payload cannot be read as " + handler.payloadType().getName() + ": " + ex.getMessage());
			}
		}
		int batch = handler.maxBatchSize();
		for (int from = 0; from < readable.size(); from += batch) {
			List<P> chunk = readable.subList(from, Math.min(from + batch, readable.size()));
			try {
				handler.handle(List.copyOf(chunk));
			}
			catch (PartialEffectFailure ex) {
				failedAsNamed(handler, chunk, ex, stored, outcome);
			}
			catch (Throwable ex) {
				if (ex instanceof OutOfMemoryError error) {
					throw error;
				}
				chunk.forEach(payload -> outcome.failed(stored.get(payload), ex));
			}
		}
		return outcome;
	}

	/**
	 * The payloads {@code failure} names failed, each as given to the handler or, if the handler named an equal copy,
	 * as the equal one it was given. If it names one it was not given, which payloads failed cannot be told: the whole
	 * chunk is retried rather than any payload taken as done.
	 */
	private static <P> void failedAsNamed(EffectHandler<P> handler, List<P> chunk, PartialEffectFailure failure,
			Map<Object, JsonNode> stored, Outcome outcome) {
		Map<P, Throwable> failed = new IdentityHashMap<>();
		for (Map.Entry<Object, Throwable> named : failure.failures().entrySet()) {
			P given = givenAs(named.getKey(), chunk);
			if (given == null) {
				logger.warn("Effect handler {} named a payload it was not given as failed: {}; all {} payload(s) of "
						+ "the call are retried", SafeText.quote(handler.name()),
						SafeText.quote(String.valueOf(named.getKey())), chunk.size());
				chunk.forEach(payload -> outcome.failed(stored.get(payload), failure));
				return;
			}
			failed.put(given, named.getValue());
		}
		failed.forEach((payload, cause) -> outcome.failed(stored.get(payload), cause));
	}

	/**
	 * The payload of {@code chunk} that {@code named} is: itself, else the first equal one; {@literal null} if none.
	 */
	private static <P> P givenAs(Object named, List<P> chunk) {
		for (P payload : chunk) {
			if (payload == named) {
				return payload;
			}
		}
		for (P payload : chunk) {
			if (payload.equals(named)) {
				return payload;
			}
		}
		return null;
	}

	private CompletionHandler<StoredEffect> complete(String id, StoredEffect effect, Outcome outcome, Instant now,
			SchedulerClient scheduler) {
		if (outcome.retried.isEmpty() && outcome.parked.isEmpty()) {
			return told(new CompletionHandler.OnCompleteRemove<>(), effect.effect(), AttemptOutcome.SUCCEEDED,
					effect.requestedAt());
		}
		List<JsonNode> retried = outcome.retried;
		List<JsonNode> parked = new ArrayList<>(outcome.parked);
		String parkError = outcome.parkError;
		if (!retried.isEmpty() && this.retry.exhausted(effect.attemptsSinceRerun() + 1)) {
			parked.addAll(retried);
			parkError = "Gave up after " + (effect.attempts() + 1) + " attempt(s): " + outcome.retryError;
			retried = List.of();
		}
		if (retried.isEmpty()) {
			StoredEffect parkedEffect = effect.parked(parked, now, parkError);
			logger.error("Parked effect {} ({}, {} payload(s)) after {} attempt(s): {}", SafeText.quote(id),
					SafeText.quote(effect.effect()), parked.size(), parkedEffect.attempts(), SafeText.message(parkError));
			return told((complete, operations) -> operations.reschedule(complete, PARKED_UNTIL, parkedEffect),
					effect.effect(), AttemptOutcome.PARKED, null);
		}
		if (!parked.isEmpty()) {
			// Stored apart before the retried ones are rewritten: a crash in between runs the parked payloads once more,
			// which idempotent handlers allow, rather than losing them.
			String parkedId = UUID.randomUUID().toString();
			StoredEffect parkedEffect = effect.parked(parked, now, parkError);
			scheduler.scheduleIfNotExists(new TaskInstance<>(TASK_NAME, parkedId, parkedEffect), PARKED_UNTIL);
			logger.error("Parked {} payload(s) of effect {} ({}) as {}: {}", parked.size(), SafeText.quote(id),
					SafeText.quote(effect.effect()), SafeText.quote(parkedId), SafeText.message(parkError));
		}
		StoredEffect retriedEffect = effect.failed(retried, now, outcome.retryError);
		Duration backoff = this.retry.backoff(retriedEffect.attemptsSinceRerun());
		logger.warn("Effect {} ({}, {} payload(s)) failed (attempt {} of {}), retrying in {}: {}", SafeText.quote(id),
				SafeText.quote(effect.effect()), retried.size(), retriedEffect.attemptsSinceRerun(),
				this.retry.maxAttempts(), backoff, SafeText.message(outcome.retryError));
		return told((complete, operations) -> operations.reschedule(complete, now.plus(backoff), retriedEffect),
				effect.effect(), AttemptOutcome.RETRIED, null);
	}

	/**
	 * {@code completion}, telling the listener of the attempt once the completion is stored (a completion that fails
	 * to store runs the effect again, and that attempt is told); a done effect also with its time since request.
	 */
	private CompletionHandler<StoredEffect> told(CompletionHandler<StoredEffect> completion, String effect,
			AttemptOutcome outcome, Instant doneRequestedAt) {
		EffectListener listener = this.listener;
		if (listener == EffectListener.NONE) {
			return completion;
		}
		return (complete, operations) -> {
			completion.complete(complete, operations);
			try {
				listener.attempted(effect, outcome);
				if (doneRequestedAt != null) {
					listener.done(effect, Duration.between(doneRequestedAt, Instant.now()));
				}
			}
			catch (RuntimeException ex) {
				logger.warn("An effect listener failed on effect {}; the effect is not affected",
						SafeText.quote(effect), ex);
			}
		};
	}

	/** The payloads of one run that failed, split into those to retry and those to park, with the first reason. */
	private static final class Outcome {

		final List<JsonNode> retried = new ArrayList<>();

		final List<JsonNode> parked = new ArrayList<>();

		String retryError;

		String parkError;

		static Outcome allRetried(List<JsonNode> payloads, String error) {
			Outcome outcome = new Outcome();
			payloads.forEach(payload -> outcome.retry(payload, error));
			return outcome;
		}

		void failed(JsonNode payload, Throwable cause) {
			if (isPermanent(cause)) {
				park(payload, cause.toString());
			}
			else {
				retry(payload, cause.toString());
			}
		}

		void retry(JsonNode payload, String error) {
			this.retried.add(payload);
			this.retryError = this.retryError != null ? this.retryError : SafeText.message(error);
		}

		void park(JsonNode payload, String error) {
			this.parked.add(payload);
			this.parkError = this.parkError != null ? this.parkError : SafeText.message(error);
		}

		private static boolean isPermanent(Throwable cause) {
			for (Throwable ex = cause; ex != null; ex = ex.getCause() == ex ? null : ex.getCause()) {
				if (ex instanceof PermanentEffectFailure) {
					return true;
				}
			}
			return false;
		}

	}

}
