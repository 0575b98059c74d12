package io.mutationhooks.effects.scheduler;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerConfigurationSupport;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class StoredEffectSerializerUnitTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private final Serializer serializer = new StoredEffectSerializer(DbSchedulerConfigurationSupport.SPRING_JAVA_SERIALIZER,
			this.json);

	@Test
	void writesEffectsAsReadableJsonAndReadsThemBack() {
		StoredEffect effect = StoredEffect.requested("crm-sync", "customer-7",
				List.of(this.json.readTree("{\"customerId\":7}")), Instant.parse("2026-12-06T10:00:00Z"));

		byte[] data = this.serializer.serialize(effect);

		assertThat(new String(data, StandardCharsets.UTF_8)).startsWith("{")
			.contains("\"effect\":\"crm-sync\"", "\"customerId\":7", "\"deduplicationKey\":\"customer-7\"");
		assertThat(this.serializer.deserialize(StoredEffect.class, data)).isEqualTo(effect);
	}

	@Test
	void leavesTheDataOfOtherTasksToTheApplicationsSerializer() {
		byte[] data = this.serializer.serialize("a task's own data");

		assertThat(data).isEqualTo(DbSchedulerConfigurationSupport.SPRING_JAVA_SERIALIZER.serialize("a task's own data"));
		assertThat(this.serializer.deserialize(String.class, data)).isEqualTo("a task's own data");
	}

	@Test
	void readsARecordWhosePayloadNoLongerFitsItsClassAsJsonStill() {
		byte[] written = ("{\"effect\":\"orders\",\"payloads\":[{\"id\":{\"was\":\"an object\"}}],"
				+ "\"requestedAt\":\"2026-12-06T10:00:00Z\",\"attempts\":0}").getBytes(StandardCharsets.UTF_8);

		StoredEffect effect = this.serializer.deserialize(StoredEffect.class, written);

		assertThat(effect.payloads()).singleElement().hasToString("{\"id\":{\"was\":\"an object\"}}");
	}

}
