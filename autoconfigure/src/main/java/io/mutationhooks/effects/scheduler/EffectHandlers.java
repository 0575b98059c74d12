package io.mutationhooks.effects.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.mutationhooks.effects.EffectHandler;

/**
 * The handlers by name, looked up on first use: handlers may depend on repositories whose hooks request effects, so
 * they cannot be needed while the scheduler is being built.
 */
public final class EffectHandlers {

	private final Supplier<List<EffectHandler<?>>> source;

	private volatile Map<String, EffectHandler<?>> byName;

	public EffectHandlers(Supplier<List<EffectHandler<?>>> source) {
		this.source = source;
	}

	/** @return the handler named {@code name}, if this instance has one */
	public Optional<EffectHandler<?>> named(String name) {
		return Optional.ofNullable(byName().get(name));
	}

	/** @return the handlers by name, checked: names unique and not blank, batch sizes at least 1 */
	public Map<String, EffectHandler<?>> byName() {
		Map<String, EffectHandler<?>> handlers = this.byName;
		if (handlers == null) {
			handlers = new LinkedHashMap<>();
			for (EffectHandler<?> handler : this.source.get()) {
				String name = handler.name();
				if (name == null || name.isBlank()) {
					throw new IllegalStateException("EffectHandler " + handler + " has no name");
				}
				if (handler.payloadType() == null) {
					throw new IllegalStateException("EffectHandler '" + name + "' has no payload type");
				}
				if (handler.maxBatchSize() < 1) {
					throw new IllegalStateException("EffectHandler '" + name + "' must take at least 1 payload a call, not "
							+ handler.maxBatchSize());
				}
				EffectHandler<?> other = handlers.putIfAbsent(name, handler);
				if (other != null) {
					throw new IllegalStateException(
							"Two EffectHandlers are named '" + name + "': " + other + " and " + handler);
				}
			}
			this.byName = Map.copyOf(handlers);
			handlers = this.byName;
		}
		return handlers;
	}

}
