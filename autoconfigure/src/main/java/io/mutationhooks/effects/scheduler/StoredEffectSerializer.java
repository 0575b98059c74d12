package io.mutationhooks.effects.scheduler;

import java.util.Objects;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the task data of effects as JSON and leaves every other task's data to the scheduler's own serializer, so
 * that an application's db-scheduler tasks keep what they had.
 */
public final class StoredEffectSerializer implements Serializer {

	private final Serializer others;

	private final JsonMapper json;

	/**
	 * @param others the serializer of every other task's data
	 */
	public StoredEffectSerializer(Serializer others) {
		this.others = Objects.requireNonNull(others, "others must not be null");
		this.json = recordMapper();
	}

	/**
	 * The mapper of the stored record: not the application's, whose settings may change between the write and the
	 * run. It reads a payload's numbers back as they were written: a decimal as a {@code BigDecimal} with its scale
	 * (not a {@code double}, which would change {@code 12345678901234567.89} and an amount's {@code 1.50}). A record
	 * written before a field was added reads with the field's default, and one with a field added since (written by a
	 * newer instance) without it.
	 */
	static JsonMapper recordMapper() {
		return JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
			.build();
	}

	@Override
	public byte[] serialize(Object data) {
		return data instanceof StoredEffect effect ? this.json.writeValueAsBytes(effect) : this.others.serialize(data);
	}

	@Override
	public <T> T deserialize(Class<T> type, byte[] data) {
		if (type == StoredEffect.class) {
			return data == null ? null : type.cast(this.json.readValue(data, StoredEffect.class));
		}
		return this.others.deserialize(type, data);
	}

}
