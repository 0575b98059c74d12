package io.mutationhooks.effects;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.github.kagkarlsson.scheduler.task.TaskInstance;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.effects.scheduler.EffectRunner;
import io.mutationhooks.effects.scheduler.StoredEffect;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Pause;
import io.mutationhooks.testapp.TestEffects;
import io.mutationhooks.testapp.TestEffects.Measurement;
import io.mutationhooks.testapp.TestEffects.Note;
import io.mutationhooks.testapp.TestEffects.Reading;
import io.mutationhooks.testapp.TestEffects.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Durable effects on db-scheduler, on the test application's database: recorded with the transaction that requests
 * them, run after its commit, batched, deduplicated, retried, and parked when they fail for good or too often.
 */
@ExtendWith(OutputCaptureExtension.class)
class DurableEffectsIntegrationTests extends EffectsIntegrationTestSupport {

	@Autowired
	EffectBacklog backlog;

	@Test
	void anEffectRequestedInATransactionIsStoredWithItsCommitAndRunsAfterIt() {
		inTransaction(() -> {
			this.effects.request(TestEffects.NOTES, new Note("after commit"));
			assertThat(storedEffects()).as("stored just before commit").isZero();
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("after commit"));
		EffectRows.awaitSettled(this.jdbc);
		assertThat(storedEffects()).as("removed once done").isZero();
	}

	@Test
	void aRolledBackTransactionLeavesNoEffect() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		transaction.executeWithoutResult(status -> {
			this.effects.request(TestEffects.NOTES, new Note("rolled back"));
			status.setRollbackOnly();
		});

		assertThat(storedEffects()).isZero();
	}

	@Test
	void aRequiresNewTransactionThatCommitsKeepsItsEffectWhenTheOuterOneRollsBack() {
		new TransactionTemplate(this.transactionManager).executeWithoutResult(outer -> {
			this.effects.request(TestEffects.NOTES, new Note("outer"));
			requiresNew().executeWithoutResult(inner -> this.effects.request(TestEffects.NOTES, new Note("inner")));
			outer.setRollbackOnly();
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("inner"));
		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactly("inner");
	}

	@Test
	void aRequiresNewTransactionThatRollsBackDropsOnlyItsOwnEffect() {
		inTransaction(() -> {
			this.effects.request(TestEffects.NOTES, new Note("outer"));
			requiresNew().executeWithoutResult(inner -> {
				this.effects.request(TestEffects.NOTES, new Note("inner"));
				inner.setRollbackOnly();
			});
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("outer"));
		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactly("outer");
	}

	@Test
	void withoutATransactionAnEffectIsStoredAtOnceAndRun() {
		this.effects.request(TestEffects.NOTES, new Note("no transaction"));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("no transaction"));
	}

	@Test
	void requestsOfOneTransactionReachTheHandlerInBatchesOfItsSize() {
		this.scheduler.pause();
		inTransaction(() -> List.of("a", "b", "c", "d", "e")
			.forEach(text -> this.effects.request(TestEffects.NOTES, new Note(text))));
		assertThat(storedEffects()).as("5 notes in batches of 3").isEqualTo(2);

		this.scheduler.resume();

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.noteCalls).extracting(List::size).containsExactlyInAnyOrder(3, 2);
		assertThat(this.probe.notes()).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
	}

	@Test
	void aTransactionRequestingManyEffectsStoresTheirFullBatchesBeforeItsCommitAndRunsEachOnce() {
		this.scheduler.pause();
		List<String> texts = IntStream.range(0, 1001).mapToObj(i -> "note " + i).toList();
		long[] storedBeforeCommit = new long[1];

		inTransaction(() -> {
			texts.forEach(text -> this.effects.request(TestEffects.NOTES, new Note(text)));
			storedBeforeCommit[0] = storedEffects();
		});

		assertThat(storedBeforeCommit[0]).as("999 notes in batches of 3 as the 1000th came").isEqualTo(333);
		assertThat(storedEffects()).as("and the last 2 at commit").isEqualTo(334);
		this.scheduler.resume();
		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactlyInAnyOrderElementsOf(texts);
	}

	@Test
	void effectsStoredBeforeTheCommitRollBackWithTheTransaction() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		long[] storedBeforeRollback = new long[1];

		transaction.executeWithoutResult(status -> {
			IntStream.range(0, 1000).forEach(i -> this.effects.request(TestEffects.NOTES, new Note("note " + i)));
			storedBeforeRollback[0] = storedEffects();
			status.setRollbackOnly();
		});

		assertThat(storedBeforeRollback[0]).isEqualTo(333);
		assertThat(storedEffects()).isZero();
	}

	@Test
	void requestsOfOneTransactionAddingUpToMoreThan64KilobytesAreStoredAsOneEffectAndRun() {
		// As a thousand S3 keys do: a column of MySQL's BLOB type holds at most 64 KB.
		List<String> texts = List.of("a", "b", "c").stream().map(letter -> letter.repeat(30_000)).toList();

		inTransaction(() -> texts.forEach(text -> this.effects.request(TestEffects.NOTES, new Note(text))));

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.noteCalls).hasSize(1);
		assertThat(this.probe.notes()).containsExactlyElementsOf(texts);
	}

	@Test
	void aDeduplicationKeyRecordsOneEffectWhileOneIsPending() {
		this.scheduler.pause();
		inTransaction(() -> {
			this.effects.request(TestEffects.NOTES, new Note("first"), "customer-7");
			this.effects.request(TestEffects.NOTES, new Note("second"), "customer-7");
		});
		inTransaction(() -> this.effects.request(TestEffects.NOTES, new Note("third"), "customer-7"));
		inTransaction(() -> this.effects.request(TestEffects.NOTES, new Note("other"), "customer-8"));
		assertThat(storedEffects()).isEqualTo(2);

		this.scheduler.resume();

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactlyInAnyOrder("first", "other");
	}

	@Test
	void aRequestMergedIntoAWaitingEffectHoldsItUntilTheRequestCommitsSoItRunsOnWhatWasCommitted() throws Exception {
		this.scheduler.pause();
		this.effects.request(TestEffects.NOTES, new Note("waiting"), "customer-7");
		List<Integer> markersSeen = new CopyOnWriteArrayList<>();
		this.probe.whenCalled = () -> markersSeen.add(markers());
		CountDownLatch merged = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		try {
			CompletableFuture<Void> written = inTransactionHeldBeforeCommit(() -> {
				this.jdbc.update("INSERT INTO ledger (version, entry) VALUES (0, 'marker')");
				this.effects.request(TestEffects.NOTES, new Note("merged"), "customer-7");
			}, merged, commit);
			assertThat(merged.await(10, TimeUnit.SECONDS)).isTrue();

			this.scheduler.resume();
			this.scheduler.triggerCheckForDueExecutions();
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(markersSeen::isEmpty);
			commit.countDown();
			written.get(10, TimeUnit.SECONDS);

			EffectRows.awaitSettled(this.jdbc);
			assertThat(this.probe.notes()).containsExactly("waiting");
			assertThat(markersSeen).containsExactly(1);
		}
		finally {
			commit.countDown();
			this.jdbc.update("DELETE FROM ledger WHERE entry = 'marker'");
		}
	}

	@Test
	void aRequestMadeWhileItsEffectRunsRunsItAgainAfterTheRequestCommits() throws Exception {
		CountDownLatch called = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		holdCalls(called, release);
		try {
			this.effects.request(TestEffects.NOTES, new Note("first"), "customer-7");
			assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();

			inTransaction(() -> this.effects.request(TestEffects.NOTES, new Note("while running"), "customer-7"));
		}
		finally {
			release.countDown();
		}

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactlyInAnyOrder("first", "while running");
	}

	@Test
	void aRequestMadeWhileItsEffectAndTheFollowUpRunIsStoredOnItsOwnAndRuns() throws Exception {
		CountDownLatch bothCalled = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		holdCalls(bothCalled, release);
		try {
			this.effects.request(TestEffects.NOTES, new Note("first"), "customer-7");
			await().atMost(Duration.ofSeconds(10)).until(() -> bothCalled.getCount() == 1);
			this.effects.request(TestEffects.NOTES, new Note("follow-up"), "customer-7");
			assertThat(bothCalled.await(10, TimeUnit.SECONDS)).isTrue();

			this.effects.request(TestEffects.NOTES, new Note("third"), "customer-7");
		}
		finally {
			release.countDown();
		}

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactlyInAnyOrder("first", "follow-up", "third");
	}

	@Test
	void aRepeatableReadTransactionRequestingAKeyWhoseEffectRanSinceItsSnapshotCommitsAndItsRequestRuns() {
		this.scheduler.pause();
		this.effects.request(TestEffects.NOTES, new Note("before"), "customer-7");
		TransactionTemplate repeatableRead = new TransactionTemplate(this.transactionManager);
		repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);

		repeatableRead.executeWithoutResult(status -> {
			assertThat(storedEffects()).as("the transaction's snapshot holds the waiting effect").isOne();
			this.scheduler.resume();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> CompletableFuture.supplyAsync(this::storedEffects).join() == 0);
			this.effects.request(TestEffects.NOTES, new Note("after"), "customer-7");
		});

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactly("before", "after");
	}

	@Test
	void aRequestWhoseKeyHasAParkedEffectRunsAndLeavesTheParkedOneToTheOperator() {
		this.probe.failForGood = true;
		this.effects.request(TestEffects.NOTES, new Note("refused"), "customer-7");
		EffectRecord parked = awaitParked();
		this.probe.failForGood = false;

		inTransaction(() -> this.effects.request(TestEffects.NOTES, new Note("after parking"), "customer-7"));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("after parking"));
		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.backlog.list(EffectStatus.PARKED, 10)).extracting(EffectRecord::id)
			.containsExactly(parked.id());
	}

	/** Makes each call of the notes handler count down {@code called}, then wait for {@code release}. */
	private void holdCalls(CountDownLatch called, CountDownLatch release) {
		this.probe.whenCalled = () -> {
			called.countDown();
			Pause.until(release);
		};
	}

	private int markers() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM ledger WHERE entry = 'marker'", Integer.class);
	}

	@Test
	void anEffectThatFailsForNowIsRetriedUntilItSucceeds(CapturedOutput output) {
		this.probe.transientFailures.set(2);

		this.effects.request(TestEffects.NOTES, new Note("retried"));

		await().atMost(Duration.ofSeconds(20)).until(() -> this.probe.notes().contains("retried"));
		assertThat(output.getOut()).contains("failed (attempt 1 of", "failed (attempt 2 of", "the note service is down");
	}

	@Test
	void aRetryWaitsItsBackoffFromTheEndOfTheFailedAttemptNotFromItsStart() throws Exception {
		this.probe.transientFailures.set(1);
		List<Instant> calls = new CopyOnWriteArrayList<>();
		CountDownLatch retryRunning = new CountDownLatch(1);
		CountDownLatch releaseRetry = new CountDownLatch(1);
		this.probe.whenCalled = () -> {
			calls.add(Instant.now());
			try {
				if (calls.size() == 1) {
					// A failing call that takes far longer than the first backoff (50 to 100 ms here), as a timeout does.
					Thread.sleep(1000);
				}
				else if (calls.size() == 2) {
					retryRunning.countDown();
					releaseRetry.await(20, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};

		this.effects.request(TestEffects.NOTES, new Note("slow"));

		assertThat(retryRunning.await(20, TimeUnit.SECONDS)).isTrue();
		try {
			Instant firstFailedAfter = calls.get(0).plusMillis(1000);
			assertThat(this.backlog.list(EffectStatus.RUNNING, 10)).singleElement().satisfies(retry -> {
				assertThat(retry.lastAttemptAt()).isAfterOrEqualTo(firstFailedAfter);
				assertThat(retry.nextAttemptAt()).isAfter(firstFailedAfter.plusMillis(40));
			});
		}
		finally {
			releaseRetry.countDown();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.probe.notes().contains("slow"));
	}

	@Test
	void aHandlerGetsItsPayloadAsTheApplicationsMapperReadsItsJsonWithTypedDecimalsKeepingTheirScale() {
		this.effects.request(TestEffects.MEASUREMENTS,
				new Measurement(new BigDecimal("19.90"), Map.of("ratio", 1.5, "count", 3, "label", "x")));

		await().atMost(Duration.ofSeconds(20)).until(() -> !this.probe.measurements.isEmpty());
		Measurement handled = this.probe.measurements.get(0);
		assertThat(handled.price()).hasToString("19.90");
		assertThat(handled.attributes()).containsEntry("ratio", 1.5)
			.containsEntry("count", 3)
			.containsEntry("label", "x");
	}

	@Test
	void aPayloadThatReadsATreeOfItsOwnGetsItsNumbersAsTheApplicationsMapperMakesThem() {
		this.effects.request(TestEffects.READINGS, new Reading(1.5));

		await().atMost(Duration.ofSeconds(20)).until(() -> !this.probe.readings.isEmpty());
		assertThat(this.probe.readings.get(0).ratio()).isEqualTo(1.5);
	}

	@Test
	void aJsonNodePayloadReachesTheHandlerWithItsDecimalsDigitsAndScaleAsWritten() {
		ObjectNode event = JsonNodeFactory.instance.objectNode()
			.put("amount", new BigDecimal("12345678901234567.89"))
			.put("rate", new BigDecimal("1.50"));
		this.effects.request(TestEffects.EVENTS, event);

		await().atMost(Duration.ofSeconds(20)).until(() -> !this.probe.events.isEmpty());
		JsonNode handled = this.probe.events.get(0);
		assertThat(handled.get("amount").decimalValue()).hasToString("12345678901234567.89");
		assertThat(handled.get("rate").decimalValue()).hasToString("1.50");
	}

	@Test
	void aPartialFailureNamingAnEqualCopyOfAPayloadRetriesThatPayload() {
		this.probe.failsNamingACopyOf = "b";

		inTransaction(() -> List.of("a", "b", "c")
			.forEach(text -> this.effects.request(TestEffects.NOTES, new Note(text))));

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.noteCalls).extracting(call -> call.stream().map(Note::text).toList())
			.containsExactly(List.of("a", "c"), List.of("b"));
	}

	@Test
	void aPartialFailureNamingAPayloadTheHandlerWasNotGivenRetriesTheWholeCall(CapturedOutput output) {
		this.probe.failsNamingAStranger = true;

		inTransaction(() -> List.of("a", "b").forEach(text -> this.effects.request(TestEffects.NOTES, new Note(text))));

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).containsExactly("a", "b");
		assertThat(output.getOut()).contains("named a payload it was not given as failed: Note[text=stranger]; all 2 "
				+ "payload(s) of the call are retried");
	}

	@Test
	void anEffectThatFailsForGoodIsParkedVisibleAndRunsAgainOnceFixed() {
		this.probe.failForGood = true;
		Instant requested = Instant.now();

		this.effects.request(TestEffects.NOTES, new Note("refused"));

		EffectRecord parked = awaitParked();
		assertThat(parked.effect()).isEqualTo(TestEffects.NOTES);
		assertThat(parked.attempts()).isEqualTo(1);
		assertThat(parked.payloads()).containsExactly("{\"text\":\"refused\"}");
		assertThat(parked.lastError()).contains("the note service refused");
		assertThat(parked.requestedAt()).isAfterOrEqualTo(requested.minusSeconds(1));
		assertThat(parked.parkedAt()).isNotNull();
		assertThat(this.probe.notes()).isEmpty();

		this.probe.failForGood = false;
		assertThat(this.backlog.rerun(parked.id())).isTrue();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("refused"));
		EffectRows.awaitSettled(this.jdbc);
		assertThat(storedEffects()).isZero();
	}

	@Test
	void aPayloadThatNoLongerReadsIsParkedWithTheErrorAndRunsOnceTheClassReadsIt() {
		this.effects.request(TestEffects.ORDERS, new Order("legacy-1"));

		EffectRecord parked = awaitParked();
		assertThat(parked.lastError()).contains("Payload cannot be read as " + Order.class.getName())
			.contains("legacy order ids are not supported");
		assertThat(parked.attempts()).as("parked at once, not retried").isEqualTo(1);

		this.probe.acceptLegacyOrders();
		assertThat(this.backlog.rerun(parked.id())).isTrue();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.orders.contains(new Order("legacy-1")));
	}

	@Test
	void aStoredPayloadThatReadsAsNullIsParkedAloneAndTheOthersOfItsEffectRun() {
		JsonMapper json = JsonMapper.builder().build();
		StoredEffect stored = new StoredEffect(TestEffects.NOTES, null,
				List.of(json.valueToTree(new Note("a")), NullNode.getInstance(), json.valueToTree(new Note("b"))),
				Instant.now(), 0, null, null, null, 0);

		this.scheduler.schedule(new TaskInstance<>(EffectRunner.TASK_NAME, "with-a-null", stored), Instant.now());

		EffectRecord parked = awaitParked();
		assertThat(parked.payloads()).containsExactly("null");
		assertThat(parked.lastError()).isEqualTo("Payload reads as null as " + Note.class.getName());
		assertThat(parked.attempts()).as("parked at once, not retried").isEqualTo(1);
		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.noteCalls).containsExactly(List.of(new Note("a"), new Note("b")));
	}

	@Test
	void theSummaryCountsEffectsByNameAndStatusWithTheOldestRequest() {
		this.probe.failForGood = true;
		this.effects.request(TestEffects.NOTES, new Note("first refused"));
		EffectRecord first = awaitParked();
		this.effects.request(TestEffects.NOTES, new Note("second refused"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backlog.list(EffectStatus.PARKED, 10).size() == 2);

		assertThat(this.backlog.summary()).singleElement().satisfies(count -> {
			assertThat(count.effect()).isEqualTo(TestEffects.NOTES);
			assertThat(count.status()).isEqualTo(EffectStatus.PARKED);
			assertThat(count.count()).isEqualTo(2);
			assertThat(count.oldestRequestedAt()).isEqualTo(first.requestedAt());
		});
	}

	@Test
	void parkedEffectsAreListedAPageAtATimeOldestFirstWithoutRepeatingOne() {
		this.probe.failForGood = true;
		for (int i = 1; i <= 5; i++) {
			this.effects.request(TestEffects.NOTES, new Note("refused " + i));
			int parked = i;
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.backlog.list(EffectStatus.PARKED, 10).size() == parked);
		}
		List<EffectRecord> all = this.backlog.list(EffectStatus.PARKED, 10);

		List<EffectRecord> pages = new ArrayList<>(this.backlog.list(EffectStatus.PARKED, 0, 2));
		pages.addAll(this.backlog.list(EffectStatus.PARKED, 2, 2));
		pages.addAll(this.backlog.list(EffectStatus.PARKED, 4, 2));

		assertThat(all).extracting(EffectRecord::payloads)
			.containsExactly(List.of("{\"text\":\"refused 1\"}"), List.of("{\"text\":\"refused 2\"}"),
					List.of("{\"text\":\"refused 3\"}"), List.of("{\"text\":\"refused 4\"}"),
					List.of("{\"text\":\"refused 5\"}"));
		assertThat(pages).extracting(EffectRecord::id).containsExactlyElementsOf(all.stream().map(EffectRecord::id).toList());
		assertThat(this.backlog.list(EffectStatus.PARKED, 5, 2)).isEmpty();
		assertThat(this.backlog.list(EffectStatus.PENDING, 0, 2)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.backlog.list(EffectStatus.PARKED, -1, 2))
			.withMessage("offset must not be negative, not -1");
	}

	@Test
	void aDiscardedParkedEffectIsGoneAndLogged(CapturedOutput output) {
		this.probe.failForGood = true;
		this.effects.request(TestEffects.NOTES, new Note("discarded"));
		EffectRecord parked = awaitParked();

		assertThat(this.backlog.discard(parked.id())).isTrue();

		assertThat(storedEffects()).isZero();
		assertThat(this.backlog.discard(parked.id())).isFalse();
		assertThat(output.getOut()).contains("Discarded parked effect " + parked.id(), "discarded");
	}

	@Test
	void aRequestForNoHandlerOrWithAPayloadOfAnotherTypeIsRefusedAndRecordsNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.effects.request("test.nope", new Note("x")))
			.withMessageContaining("No EffectHandler is named 'test.nope'")
			.withMessageContaining(TestEffects.NOTES);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.effects.request(TestEffects.NOTES, new Order("o-1")))
			.withMessageContaining("takes payloads of type " + Note.class.getName());
		assertThat(storedEffects()).isZero();
	}

	/** With few attempts allowed, an effect that keeps failing is parked, and runs again once the cause is gone. */
	@Nested
	@TestPropertySource(properties = "mutation-hooks.effects.retry.max-attempts=3")
	class AfterTooManyAttempts {

		@Test
		void anEffectThatKeepsFailingIsParkedAfterItsLastAttemptAndRunsAgainOnceFixed() {
			probe.transientFailures.set(-1);

			effects.request(TestEffects.NOTES, new Note("keeps failing"));

			EffectRecord parked = awaitParked();
			assertThat(parked.attempts()).isEqualTo(3);
			assertThat(parked.lastError()).startsWith("Gave up after 3 attempt(s)").contains("the note service is down");

			probe.transientFailures.set(0);
			assertThat(backlog.rerun(parked.id())).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> probe.notes().contains("keeps failing"));
		}

		@Test
		void aParkedEffectRunAgainGetsEveryAttemptAgainAndKeepsItsCountAsHistory() {
			probe.transientFailures.set(-1);
			effects.request(TestEffects.NOTES, new Note("after an outage"));
			EffectRecord parked = awaitParked();

			probe.transientFailures.set(2);
			assertThat(backlog.rerun(parked.id())).isTrue();

			await().atMost(Duration.ofSeconds(10)).until(() -> probe.notes().contains("after an outage"));
			assertThat(backlog.list(EffectStatus.PARKED, 10)).isEmpty();
		}

		@Test
		void aParkedEffectRunAgainIsParkedAgainAfterItsBudgetWithEveryAttemptCounted() {
			probe.transientFailures.set(-1);
			effects.request(TestEffects.NOTES, new Note("still failing"));
			EffectRecord parked = awaitParked();

			assertThat(backlog.rerun(parked.id())).isTrue();

			await().atMost(Duration.ofSeconds(20))
				.until(() -> backlog.list(EffectStatus.PARKED, 10),
						again -> again.size() == 1 && again.get(0).attempts() == 6);
			assertThat(backlog.list(EffectStatus.PARKED, 10).get(0).lastError())
				.startsWith("Gave up after 6 attempt(s)");
		}

	}

	private EffectRecord awaitParked() {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> this.backlog.list(EffectStatus.PARKED, 10), parked -> parked.size() == 1)
			.get(0);
	}

	private TransactionTemplate requiresNew() {
		TransactionTemplate template = new TransactionTemplate(this.transactionManager);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		return template;
	}

}
