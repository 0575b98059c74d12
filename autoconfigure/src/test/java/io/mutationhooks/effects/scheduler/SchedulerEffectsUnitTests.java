package io.mutationhooks.effects.scheduler;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import io.mutationhooks.effects.EffectHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SchedulerEffectsUnitTests {

	/** A payload its own serializer writes as JSON {@code null}. */
	record Blank(String text) {

		@JsonValue
		String json() {
			return null;
		}

	}

	@Test
	void aPayloadWrittenAsJsonNullIsRefusedBeforeAnythingIsStored() {
		SchedulerEffects effects = new SchedulerEffects(() -> {
			throw new AssertionError("nothing may be stored");
		}, () -> {
			throw new AssertionError("the scheduler may not be woken");
		}, new EffectHandlers(() -> List.of(EffectHandler.of("blank", Blank.class, payload -> {
		}))), JsonMapper.builder().build(), () -> {
			throw new AssertionError("no transaction may be opened");
		}, () -> {
			throw new AssertionError("no DataSource may be used");
		}, "scheduled_tasks");

		assertThatIllegalArgumentException().isThrownBy(() -> effects.request("blank", new Blank("x")))
			.withMessage("The payload of effect 'blank' is written as JSON null (" + Blank.class.getName()
					+ "'s serializer), which would reach the handler as null");
		assertThatIllegalArgumentException().isThrownBy(() -> effects.request("blank", new Blank("x"), "key-1"))
			.withMessageContaining("is written as JSON null");
	}

	@Test
	void aParkedEffectPickedOrRemovedByAnotherInstanceSinceItWasReadIsNeitherRunAgainNorDiscarded() {
		StoredEffect parked = StoredEffect.requested("notes", null, List.of(StringNode.valueOf("a")), Instant.now())
			.parked(List.of(StringNode.valueOf("a")), Instant.now(), "the note service refused it");
		ScheduledExecution<Object> read = new ScheduledExecution<>(Object.class,
				new Execution(Instant.now(), new TaskInstance<>(EffectRunner.TASK_NAME, "effect-1", parked)));
		// Between the read and the write, another instance picked it (rerun) or removed it (discard).
		SchedulerClient scheduler = (SchedulerClient) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { SchedulerClient.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getScheduledExecution" -> Optional.of(read);
					case "reschedule" -> throw new TaskInstanceCurrentlyExecutingException(EffectRunner.TASK_NAME,
							"effect-1");
					case "cancel" -> throw new TaskInstanceNotFoundException(EffectRunner.TASK_NAME, "effect-1");
					default -> throw new AssertionError("unexpected " + method.getName());
				});
		SchedulerEffects effects = new SchedulerEffects(() -> scheduler, () -> {
			throw new AssertionError("the scheduler may not be woken");
		}, new EffectHandlers(List::of), JsonMapper.builder().build(), () -> {
			throw new AssertionError("no transaction may be opened");
		}, () -> {
			throw new AssertionError("no DataSource may be used");
		}, "scheduled_tasks");

		assertThat(effects.rerun("effect-1")).isFalse();
		assertThat(effects.discard("effect-1")).isFalse();
	}

}
