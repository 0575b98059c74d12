package io.mutationhooks.testapp;

import io.mutationhooks.Hook;
import io.mutationhooks.Mutator;

/** A global hook bean whose behaviour each test sets, and resets afterwards. */
public class SwitchableHook implements Hook {

	private volatile Hook delegate = next -> next;

	public void set(Hook delegate) {
		this.delegate = delegate;
	}

	public void reset() {
		this.delegate = next -> next;
	}

	@Override
	public Mutator apply(Mutator next) {
		Hook current = this.delegate;
		return current.apply(next);
	}

}
