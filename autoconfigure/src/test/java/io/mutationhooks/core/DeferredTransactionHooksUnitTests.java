package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link DeferredTransactionHooks} keeps the actions of a write made without a transaction and runs them when it
 * ends: commit actions on success, rollback actions on failure.
 */
class DeferredTransactionHooksUnitTests {

	private final List<String> events = new ArrayList<>();

	private final DeferredTransactionHooks hooks = new DeferredTransactionHooks();

	@Test
	void actionsWaitForTheEndOfTheWrite() {
		this.hooks.beforeCommit(record("before commit"));
		this.hooks.afterCommit(record("after commit"));
		this.hooks.afterRollback(record("after rollback"));

		assertThat(this.events).isEmpty();
	}

	@Test
	void succeededRunsBeforeCommitThenAfterCommitActionsInRegistrationOrder() {
		this.hooks.afterCommit(record("after commit 1"));
		this.hooks.beforeCommit(record("before commit 1"));
		this.hooks.afterRollback(record("after rollback"));
		this.hooks.afterCommit(record("after commit 2"));
		this.hooks.beforeCommit(record("before commit 2"));

		this.hooks.succeeded();

		assertThat(this.events).containsExactly("before commit 1", "before commit 2", "after commit 1",
				"after commit 2");
	}

	@Test
	void failedRunsOnlyAfterRollbackActionsInRegistrationOrder() {
		this.hooks.beforeCommit(record("before commit"));
		this.hooks.afterRollback(record("after rollback 1"));
		this.hooks.afterCommit(record("after commit"));
		this.hooks.afterRollback(record("after rollback 2"));

		this.hooks.failed();

		assertThat(this.events).containsExactly("after rollback 1", "after rollback 2");
	}

	@Test
	void beforeCommitActionCanAddAnAfterCommitAction() {
		this.hooks.beforeCommit(() -> this.hooks.afterCommit(record("added after commit")));

		this.hooks.succeeded();

		assertThat(this.events).containsExactly("added after commit");
	}

	@Test
	void failingBeforeCommitActionStopsTheCommitActions() {
		this.hooks.beforeCommit(() -> {
			throw new IllegalStateException("veto");
		});
		this.hooks.beforeCommit(record("before commit 2"));
		this.hooks.afterCommit(record("after commit"));

		assertThatIllegalStateException().isThrownBy(this.hooks::succeeded).withMessage("veto");
		assertThat(this.events).isEmpty();
	}

	/**
	 * After commit the data is written: like {@code SpringTransactionHooks}, a failing action must not make the
	 * caller believe the write failed, nor keep the other after-commit actions from running.
	 */
	@Test
	void failingAfterCommitActionDoesNotFailTheWriteNorSkipTheOthers() {
		this.hooks.afterCommit(() -> {
			throw new IllegalStateException("mail server down");
		});
		this.hooks.afterCommit(record("after commit 2"));

		assertThatNoException().isThrownBy(this.hooks::succeeded);
		assertThat(this.events).containsExactly("after commit 2");
	}

	@Test
	void nullActionsAreRefused() {
		assertThatNullPointerException().isThrownBy(() -> this.hooks.beforeCommit(null))
			.withMessage("action must not be null");
		assertThatNullPointerException().isThrownBy(() -> this.hooks.afterCommit(null))
			.withMessage("action must not be null");
		assertThatNullPointerException().isThrownBy(() -> this.hooks.afterRollback(null))
			.withMessage("action must not be null");
	}

	private Runnable record(String event) {
		return () -> this.events.add(event);
	}

}
