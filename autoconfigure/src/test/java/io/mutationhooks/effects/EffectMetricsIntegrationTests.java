package io.mutationhooks.effects;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import io.mutationhooks.metrics.EffectMetrics;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.TestEffects;
import io.mutationhooks.testapp.TestEffects.Note;
import io.mutationhooks.testapp.Pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a meter registry, effects show in meters: stored effects by status (a parked one among them), attempts by how
 * they ended, and the time from the requesting transaction's commit to done.
 */
@Import(EffectMetricsIntegrationTests.Meters.class)
@TestPropertySource(properties = "mutation-hooks.metrics.backlog-refresh-interval=10ms")
class EffectMetricsIntegrationTests extends EffectsIntegrationTestSupport {

	@Autowired
	MeterRegistry meters;

	/** What the meters counted before this test, for the tests before it share them. */
	private final Map<String, Double> before = new HashMap<>();

	@BeforeEach
	void rememberEarlierCounts() {
		for (String outcome : new String[] { "succeeded", "retried", "parked" }) {
			this.before.put(outcome, attemptsSoFar(outcome));
		}
		this.before.put("done", doneSoFar());
	}

	@Test
	void aParkedEffectShowsInTheParkedGaugeWithItsAge() {
		this.probe.failForGood = true;

		inTransaction(() -> this.effects.request(TestEffects.NOTES, new Note("refused")));

		await().atMost(Duration.ofSeconds(10)).until(() -> stored("parked") == 1 && attempts("parked") == 1);
		assertThat(stored("pending")).isZero();
		assertThat(this.meters.get(EffectMetrics.OLDEST).tags("effect", TestEffects.NOTES, "status", "parked")
			.timeGauge()
			.value()).isPositive();
		assertThat(attempts("succeeded")).isZero();
	}

	@Test
	void attemptsAreCountedByOutcomeAndTheTimeToDoneOnceDone() {
		this.probe.transientFailures.set(1);

		inTransaction(() -> this.effects.request(TestEffects.NOTES, new Note("second time lucky")));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.probe.notes().contains("second time lucky"));
		EffectRows.awaitSettled(this.jdbc);
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts("succeeded") == 1);
		assertThat(attempts("retried")).isEqualTo(1);
		assertThat(attempts("parked")).isZero();
		assertThat(doneSoFar() - this.before.get("done")).isEqualTo(1);
		assertThat(stored("parked")).isZero();
		assertThat(stored("retrying")).isZero();
	}

	@Test
	void theTimeToDoneRunsFromTheCommitNotFromTheRequestEarlierInTheTransaction() {
		double totalBefore = doneTimer().totalTime(TimeUnit.MILLISECONDS);
		long openAfterRequest = 1500;

		inTransaction(() -> {
			this.effects.request(TestEffects.NOTES, new Note("requested long before the commit"));
			Pause.millis(openAfterRequest);
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> doneSoFar() - this.before.get("done") == 1);
		double timed = doneTimer().totalTime(TimeUnit.MILLISECONDS) - totalBefore;
		// Timed from the request, it would be at least the time the transaction stayed open after it.
		assertThat(timed).isPositive().isLessThan(openAfterRequest);
	}

	@Test
	void everyHandledEffectHasItsGaugesBeforeAnythingRuns() {
		assertThat(this.meters.find(EffectMetrics.STORED).gauges())
			.extracting(gauge -> gauge.getId().getTag("effect") + "/" + gauge.getId().getTag("status"))
			.contains(TestEffects.ORDERS + "/pending", TestEffects.ORDERS + "/running",
					TestEffects.ORDERS + "/retrying", TestEffects.ORDERS + "/parked");
	}

	private double stored(String status) {
		return this.meters.get(EffectMetrics.STORED).tags("effect", TestEffects.NOTES, "status", status).gauge().value();
	}

	private double attempts(String outcome) {
		return attemptsSoFar(outcome) - this.before.get(outcome);
	}

	private double doneSoFar() {
		return doneTimer().count();
	}

	private Timer doneTimer() {
		return this.meters.get(EffectMetrics.DONE).tag("effect", TestEffects.NOTES).timer();
	}

	private double attemptsSoFar(String outcome) {
		return this.meters.get(EffectMetrics.ATTEMPTS).tags("effect", TestEffects.NOTES, "outcome", outcome)
			.counter()
			.count();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
