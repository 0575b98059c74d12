package io.mutationhooks.effects.scheduler;

import java.math.BigDecimal;
import java.math.BigInteger;
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

	private final Serializer serializer = new StoredEffectSerializer(
			DbSchedulerConfigurationSupport.SPRING_JAVA_SERIALIZER);

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
	void aPayloadsDecimalsComeBackExactlyWithTheirScale() {
		record Invoice(BigDecimal amount, BigDecimal fee, BigInteger reference) {
		}
		Invoice invoice = new Invoice(new BigDecimal("12345678901234567.89"), new BigDecimal("1.50"),
				new BigInteger("123456789012345678901234567890"));
		StoredEffect effect = StoredEffect.requested("crm-sync", null, List.of(this.json.valueToTree(invoice)),
				Instant.parse("2026-12-06T10:00:00Z"));

		StoredEffect read = this.serializer.deserialize(StoredEffect.class, this.serializer.serialize(effect));

		assertThat(this.json.treeToValue(read.payloads().get(0), Invoice.class)).isEqualTo(invoice);
	}

	@Test
	void readsARecordWrittenBeforeAFieldWasAddedAndOneWithAFieldItDoesNotKnow() {
		byte[] older = ("{\"effect\":\"notes\",\"payloads\":[\"a\"],\"requestedAt\":\"2026-12-06T10:00:00Z\","
				+ "\"attempts\":3,\"parkedAt\":\"2026-12-06T11:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
		byte[] newer = ("{\"effect\":\"notes\",\"payloads\":[\"a\"],\"requestedAt\":\"2026-12-06T10:00:00Z\","
				+ "\"attempts\":3,\"attemptsBeforeRerun\":0,\"addedLater\":true}").getBytes(StandardCharsets.UTF_8);

		StoredEffect read = this.serializer.deserialize(StoredEffect.class, older);

		assertThat(read.attempts()).isEqualTo(3);
		assertThat(read.attemptsBeforeRerun()).isZero();
		assertThat(read.rerun().attemptsSinceRerun()).isZero();
		assertThat(this.serializer.deserialize(StoredEffect.class, newer).attempts()).isEqualTo(3);
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
