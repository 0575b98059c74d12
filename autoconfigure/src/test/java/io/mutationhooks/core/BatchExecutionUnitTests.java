package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mutationhooks.Hook;
import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.core.DefaultMutation.Batch;
import io.mutationhooks.core.DefaultMutation.WriteContext;
import io.mutationhooks.core.MutationExecutor.BatchWrite;
import io.mutationhooks.core.TestModels.Book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link MutationExecutor#executeAll} runs the mutations of one call as Ent's bulk create does: each mutation through
 * its own chain, the chains nested, and one write of them all at the end.
 */
class BatchExecutionUnitTests {

	private final List<String> events = new ArrayList<>();

	/** Writes every book that reached it, giving each the id 100 + its position. */
	private final BatchWrite numberingWrite = reached -> {
		this.events.add("write " + reached.stream().map(m -> ((Book) m.entity()).title()).toList());
		List<Book> written = new ArrayList<>();
		for (int i = 0; i < reached.size(); i++) {
			Book book = (Book) reached.get(i).entity();
			written.add(new Book(100L + i, book.title(), book.author()));
		}
		return written;
	};

	private final Hook tracing = next -> mutation -> {
		String title = ((Book) mutation.entity()).title();
		this.events.add("before " + title);
		Object written = next.mutate(mutation);
		this.events.add("after " + title + " id " + mutation.id());
		return written;
	};

	@Test
	void everyChainRunsBeforeTheOneWriteAndUnwindsAfterItInReverse() {
		List<Object> results = MutationExecutor.executeAll(hooksFor(3, this.tracing), creates("a", "b", "c"),
				this.numberingWrite);

		assertThat(this.events).containsExactly("before a", "before b", "before c", "write [a, b, c]",
				"after c id 102", "after b id 101", "after a id 100");
		assertThat(results).extracting(book -> ((Book) book).id()).containsExactly(100L, 101L, 102L);
	}

	@Test
	void theWriteGetsEachMutationAsItsHooksPassedItOn() {
		Hook renamingB = next -> mutation -> {
			Book book = (Book) mutation.entity();
			return next.mutate(book.title().equals("b") ? mutation.withEntity(cast(new Book(null, "B", "x"))) : mutation);
		};

		MutationExecutor.executeAll(hooksFor(3, renamingB), creates("a", "b", "c"), this.numberingWrite);

		assertThat(this.events).containsExactly("write [a, B, c]");
	}

	@Test
	void aHookThatRefusesOneEntityFailsTheCallBeforeAnythingIsWritten() {
		Hook refusingC = next -> mutation -> {
			if (((Book) mutation.entity()).title().equals("c")) {
				throw new IllegalArgumentException("no c");
			}
			return next.mutate(mutation);
		};

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.executeAll(hooksFor(3, refusingC), creates("a", "b", "c"),
					this.numberingWrite))
			.withMessageContaining("no c");
		assertThat(this.events).isEmpty();
	}

	@Test
	void theWritesOwnFailureSurfacesUnchangedThroughEveryChain() {
		IllegalStateException duplicateKey = new IllegalStateException("duplicate key");

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> MutationExecutor.executeAll(hooksFor(3, this.tracing), creates("a", "b", "c"),
					reached -> {
						throw duplicateKey;
					}))
			.isSameAs(duplicateKey);
	}

	@Test
	void aWriteThatReturnsTooFewEntitiesFailsTheCall() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> MutationExecutor.executeAll(hooksFor(2, this.tracing), creates("a", "b"),
					reached -> List.of(reached.get(0).entity())))
			.withMessage("the write of 2 entities returned 1 entities");
	}

	@Test
	void anEntityWhoseHookReturnsWithoutCallingNextIsLeftOutOfTheWriteAndTheOthersAreWritten() {
		Hook skippingB = next -> mutation -> ((Book) mutation.entity()).title().equals("b") ? mutation.entity()
				: next.mutate(mutation);
		List<List<Object>> reached = new ArrayList<>();

		List<Object> results = MutationExecutor.executeAll(hooksFor(3, skippingB), creates("a", "b", "c"), written -> {
			reached.add(new ArrayList<>(written));
			return this.numberingWrite.write(written.stream().map(m -> m == null ? creates("-").get(0) : m).toList());
		});

		assertThat(reached).hasSize(1);
		assertThat(reached.get(0)).extracting(m -> m == null ? null : ((Book) ((Mutation<?>) m).entity()).title())
			.containsExactly("a", null, "c");
		assertThat(results).extracting(book -> ((Book) book).title()).containsExactly("a", "b", "c");
		assertThat(results).extracting(book -> ((Book) book).id()).containsExactly(100L, null, 102L);
	}

	@Test
	void whenNoHookCallsNextNothingIsWritten() {
		Hook skippingAll = next -> mutation -> mutation.entity();

		List<Object> results = MutationExecutor.executeAll(hooksFor(2, skippingAll), creates("a", "b"),
				this.numberingWrite);

		assertThat(this.events).isEmpty();
		assertThat(results).extracting(book -> ((Book) book).title()).containsExactly("a", "b");
	}

	@Test
	void aHookThatCatchesTheFailureOfALaterEntityCannotAbsorbIt() {
		Hook swallowingAfterA = next -> mutation -> {
			try {
				return next.mutate(mutation);
			}
			catch (MutationException ex) {
				return mutation.entity();
			}
		};
		Hook refusingC = next -> mutation -> {
			if (((Book) mutation.entity()).title().equals("c")) {
				throw new IllegalArgumentException("no c");
			}
			return next.mutate(mutation);
		};
		List<List<Hook>> hooks = List.of(List.of(swallowingAfterA), List.of(), List.of(refusingC));

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.executeAll(hooks, creates("a", "b", "c"), this.numberingWrite))
			.withMessageContaining("no c");
		assertThat(this.events).isEmpty();
	}

	@Test
	void aHookThatCatchesTheWritesFailureCannotAbsorbIt() {
		IllegalStateException duplicateKey = new IllegalStateException("duplicate key");
		Hook swallowing = next -> mutation -> {
			try {
				return next.mutate(mutation);
			}
			catch (IllegalStateException ex) {
				return mutation.entity();
			}
		};

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> MutationExecutor.executeAll(hooksFor(2, swallowing), creates("a", "b"), reached -> {
				throw duplicateKey;
			}))
			.isSameAs(duplicateKey);
	}

	@Test
	void aHookThatCallsNextTwiceFailsTheCall() {
		Hook twice = next -> mutation -> {
			next.mutate(mutation);
			return next.mutate(mutation);
		};

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.executeAll(List.of(List.of(twice), List.of()), creates("a", "b"),
					this.numberingWrite))
			.withMessageContaining("called next.mutate(mutation) twice");
	}

	@Test
	void aFailureToReadTheStoredStateOfTheBatchForAHookSurfacesUnchanged() {
		IllegalStateException lockTimeout = new IllegalStateException("lock timeout");
		Batch batch = Batch.of(List.of(new Book(null, "a", "x"), new Book(null, "b", "x")));
		batch.storedStateFrom(entity -> {
			throw lockTimeout;
		});
		List<DefaultMutation<Book>> mutations = new ArrayList<>();
		for (Object book : batch.entities()) {
			mutations.add(DefaultMutation.create(TestModels.BOOK, (Book) book, new WriteContext<>(OldState.none(),
					new DeferredTransactionHooks(), type -> null, null, batch)));
		}
		Hook askingForStoredState = next -> mutation -> {
			DefaultMutation.contextOf(mutation).storedStateOf(mutation.entity());
			return next.mutate(mutation);
		};

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> MutationExecutor.executeAll(hooksFor(2, askingForStoredState), mutations,
					this.numberingWrite))
			.isSameAs(lockTimeout);
	}

	@Test
	void aHundredEntitiesWithTenHooksEachNestWithinTheDefaultStack() throws Exception {
		// The batch size the JDBC integration nests; run on a thread with the JVM's default stack size.
		String[] titles = new String[100];
		for (int i = 0; i < titles.length; i++) {
			titles[i] = "t" + i;
		}
		List<Hook> tenHooks = new ArrayList<>(Collections.nCopies(10, (Hook) next -> next::mutate));
		List<Object> results = new ArrayList<>();
		Thread thread = new Thread(() -> results.addAll(MutationExecutor.executeAll(hooksFor(titles.length, tenHooks),
				creates(titles), this.numberingWrite)));
		thread.start();
		thread.join();

		assertThat(results).hasSize(100);
	}

	private static List<List<Hook>> hooksFor(int count, Hook hook) {
		return hooksFor(count, List.of(hook));
	}

	private static List<List<Hook>> hooksFor(int count, List<Hook> hooks) {
		return Collections.nCopies(count, hooks);
	}

	private static List<DefaultMutation<Book>> creates(String... titles) {
		List<DefaultMutation<Book>> mutations = new ArrayList<>();
		for (String title : titles) {
			mutations.add(DefaultMutation.create(TestModels.BOOK, new Book(null, title, "x"),
					TestModels.context(OldState.none())));
		}
		return mutations;
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

}
