package io.mutationhooks.effects.scheduler;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.mutationhooks.effects.EffectHandler;

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

}
