package io.mutationhooks.effects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.TestEffects;
import io.mutationhooks.testapp.TestEffects.Note;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An effect requested from {@code afterCompletion} is stored in a transaction of its own, on a second connection,
 * while the finished transaction still holds its own. With a pool of one connection that second one never comes:
 * Spring logs only that a synchronization failed, so the starter names what was not stored.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "spring.datasource.hikari.maximum-pool-size=1",
		"spring.datasource.hikari.connection-timeout=1000" })
class EffectsRequestedAfterCompletionWithoutAFreeConnectionIntegrationTests extends EffectsIntegrationTestSupport {

	@Test
	void aRequestThatCannotBeStoredAfterTheCommitIsLoggedWithItsPayload(CapturedOutput output) {
		new TransactionTemplate(this.transactionManager).executeWithoutResult(
				status -> TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCompletion(int status) {
						effects.request(TestEffects.NOTES, new Note("after the commit"), "note-42");
					}
				}));

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).isEmpty();
		assertThat(output.getOut()).contains("ERROR")
			.contains("Could not store 1 effect request(s) made after their transaction ended; they will not run")
			.contains("effect 'test.notes' with deduplication key 'note-42', payload {\"text\":\"after the commit\"}");
	}

	@Test
	void manyRequestsThatCannotBeStoredAfterTheCommitAreNamedUpToTwenty(CapturedOutput output) {
		new TransactionTemplate(this.transactionManager).executeWithoutResult(
				status -> TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCommit() {
						for (int i = 1; i <= 25; i++) {
							effects.request(TestEffects.NOTES, new Note("note " + i));
						}
					}
				}));

		EffectRows.awaitSettled(this.jdbc);
		assertThat(this.probe.notes()).isEmpty();
		assertThat(output.getOut()).contains("Could not store 25 effect request(s) made after their transaction ended")
			.contains("payload {\"text\":\"note 20\"}; and 5 more")
			.doesNotContain("note 21");
	}

}
