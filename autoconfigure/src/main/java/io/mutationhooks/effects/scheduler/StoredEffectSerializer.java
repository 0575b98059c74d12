package io.mutationhooks.effects.scheduler;

import java.util.Objects;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
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
	 * @param json the mapper of the stored record (not of the application: its settings may change)
	 */
	public StoredEffectSerializer(Serializer others, JsonMapper json) {
		this.others = Objects.requireNonNull(others, "others must not be null");
		this.json = Objects.requireNonNull(json, "json must not be null");
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
