package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mutationhooks.Hook;
import io.mutationhooks.Hooks;
import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.core.TestModels.Book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link MutationExecutor} tells a {@link WriteObserver} when a write starts and whether it was done, refused by a
 * hook or failed in the write, once per mutation or once per batched write.
 */
class WriteObserverUnitTests {

	private final List<String> events = new ArrayList<>();

	private final WriteObserver observer = new WriteObserver() {

		@Override
		public ObservedWrite writing(Mutation<?> mutation) {
			WriteObserverUnitTests.this.events.add("start " + mutation.op());
			return recording();
		}

		@Override
		public ObservedWrite writingAll(List<? extends Mutation<?>> mutations) {
			WriteObserverUnitTests.this.events.add("start all " + mutations.size());
			return recording();
		}

	};

	@Test
	void aWriteThatGoesThroughIsDoneAfterItsHooksUnwind() {
		Hook tracing = next -> mutation -> {
			this.events.add("hook");
			return next.mutate(mutation);
		};

		MutationExecutor.execute(List.of(tracing), TestModels.personMutation(Op.CREATE), mutation -> {
			this.events.add("write");
			return mutation.entity();
		}, this.observer);

		assertThat(this.events).containsExactly("start CREATE", "hook", "write", "done");
	}

	@Test
	void aHookThatThrowsRefusesTheWriteWithTheMutationExceptionTheCallerGets() {
		Hook refusing = Hooks.fixedError(new IllegalArgumentException("no name"));

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(refusing), TestModels.personMutation(Op.CREATE),
					mutation -> mutation.entity(), this.observer));

		assertThat(this.events).containsExactly("start CREATE", "refused MutationException: no name");
	}

	@Test
	void anObserverThatThrowsNeitherFailsADoneWriteNorReplacesARefusal() {
		WriteObserver throwing = new WriteObserver() {

			@Override
			public ObservedWrite writing(Mutation<?> mutation) {
				return new ObservedWrite() {

					@Override
					public void done() {
						throw new IllegalStateException("meter registry is broken");
					}

					@Override
					public void refused(MutationException refusal) {
						throw new IllegalStateException("meter registry is broken");
					}

					@Override
					public void failed(Throwable failure) {
						throw new IllegalStateException("meter registry is broken");
					}

				};
			}

			@Override
			public ObservedWrite writingAll(List<? extends Mutation<?>> mutations) {
				throw new IllegalStateException("meter registry is broken");
			}

		};
		DefaultMutation<?> create = TestModels.personMutation(Op.CREATE);

		Object written = MutationExecutor.execute(List.of(), create, mutation -> mutation.entity(), throwing);

		assertThat(written).isSameAs(create.entity());
		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(Hooks.fixedError(new IllegalArgumentException("no"))),
					TestModels.personMutation(Op.CREATE), mutation -> mutation.entity(), throwing))
			.withMessageContaining("no");
		DefaultMutation<?> another = TestModels.personMutation(Op.CREATE);
		assertThat(MutationExecutor.executeAll(List.of(List.of()), List.of(another),
				reached -> List.of(reached.get(0).entity()), throwing))
			.containsExactly(another.entity());
	}

	@Test
	void aFailingWriteFailsWithItsOwnException() {
		IllegalStateException duplicate = new IllegalStateException("duplicate key");

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(), TestModels.personMutation(Op.UPDATE_ONE), mutation -> {
				throw duplicate;
			}, this.observer))
			.isSameAs(duplicate);

		assertThat(this.events).containsExactly("start UPDATE_ONE", "failed IllegalStateException: duplicate key");
	}

	@Test
	void aBatchIsOneObservedWrite() {
		List<DefaultMutation<Book>> creates = List.of(
				DefaultMutation.create(TestModels.BOOK, new Book(null, "a", "x"), TestModels.context(OldState.none())),
				DefaultMutation.create(TestModels.BOOK, new Book(null, "b", "x"), TestModels.context(OldState.none())));

		MutationExecutor.executeAll(List.of(List.of(), List.of()), creates,
				reached -> reached.stream().map(Mutation::entity).toList(), this.observer);

		assertThat(this.events).containsExactly("start all 2", "done");
	}

	@Test
	void noObserverIsNeverAskedAnything() {
		DefaultMutation<?> create = TestModels.personMutation(Op.CREATE);

		Object written = MutationExecutor.execute(List.of(), create, mutation -> mutation.entity(), WriteObserver.NONE);

		assertThat(written).isSameAs(create.entity());
		assertThat(WriteObserver.NONE.writing(TestModels.personMutation(Op.CREATE)))
			.isSameAs(WriteObserver.ObservedWrite.IGNORED);
	}

	private WriteObserver.ObservedWrite recording() {
		return new WriteObserver.ObservedWrite() {

			@Override
			public void done() {
				WriteObserverUnitTests.this.events.add("done");
			}

			@Override
			public void refused(MutationException refusal) {
				WriteObserverUnitTests.this.events.add("refused " + refusal.getClass().getSimpleName() + ": "
						+ refusal.getReason());
			}

			@Override
			public void failed(Throwable failure) {
				WriteObserverUnitTests.this.events.add("failed " + failure.getClass().getSimpleName() + ": "
						+ failure.getMessage());
			}

		};
	}

}
