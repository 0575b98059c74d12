package io.mutationhooks.effects;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Pause;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.TestEffects;

/**
 * What the effects tests on the test application share: its effects, handlers' probe and scheduler, each test
 * starting and ending with no effect stored, the scheduler running and the probe empty.
 */
@SpringBootTest(classes = TestApplication.class)
abstract class EffectsIntegrationTestSupport {

	@Autowired
	Effects effects;

	@Autowired
	TestEffects.Probe probe;

	@Autowired
	Scheduler scheduler;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@BeforeEach
	@AfterEach
	void startClean() {
		this.scheduler.resume();
		EffectRows.clear(this.jdbc);
		this.probe.reset();
	}

	long storedEffects() {
		return EffectRows.stored(this.jdbc);
	}

	void inTransaction(Runnable work) {
		new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> work.run());
	}

	/**
	 * Runs {@code work} in a transaction on another thread, which then stops after its effects were stored at
	 * beforeCommit, before its commit: it counts down {@code stored} and waits for {@code release}.
	 */
	CompletableFuture<Void> inTransactionHeldBeforeCommit(Runnable work, CountDownLatch stored,
			CountDownLatch release) {
		return CompletableFuture.runAsync(() -> inTransaction(() -> {
			work.run();
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCompletion() {
					stored.countDown();
					Pause.until(release);
				}
			});
		}));
	}

}
