package io.mutationhooks.testapp;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ApplicationListener;
import org.springframework.data.relational.core.mapping.event.AfterConvertCallback;
import org.springframework.data.relational.core.mapping.event.AfterConvertEvent;

/** Counts the application's read callbacks and events: an {@code AfterConvertCallback} and an event listener. */
public class ReadCallbacks implements AfterConvertCallback<User>, ApplicationListener<AfterConvertEvent<?>> {

	private final AtomicInteger callbacks = new AtomicInteger();

	private final AtomicInteger events = new AtomicInteger();

	@Override
	public User onAfterConvert(User user) {
		this.callbacks.incrementAndGet();
		return user;
	}

	@Override
	public void onApplicationEvent(AfterConvertEvent<?> event) {
		this.events.incrementAndGet();
	}

	public int callbacks() {
		return this.callbacks.get();
	}

	public int events() {
		return this.events.get();
	}

	public void reset() {
		this.callbacks.set(0);
		this.events.set(0);
	}

}
