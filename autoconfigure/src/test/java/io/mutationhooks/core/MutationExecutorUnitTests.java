package io.mutationhooks.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.mutationhooks.Hook;
import io.mutationhooks.Hooks;
import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.Mutator;
import io.mutationhooks.Op;
import io.mutationhooks.core.TestModels.Book;
import io.mutationhooks.core.TestModels.CountingOldState;
import io.mutationhooks.core.TestModels.Employee;
import io.mutationhooks.core.TestModels.Person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link MutationExecutor} runs hooks before the write, lets the write's own failures through unchanged and turns
 * every hook failure into a {@link MutationException}.
 */
class MutationExecutorUnitTests {

	private final List<String> events = new ArrayList<>();

	private final List<Mutation<?>> written = new ArrayList<>();

	private final Mutator write = mutation -> {
		this.events.add("write");
		this.written.add(mutation);
		return mutation.entity();
	};

	@Test
	void withoutHooksTheWriteRunsAndItsResultIsReturned() {
		DefaultMutation<Person> create = TestModels.personMutation(Op.CREATE);

		Object result = MutationExecutor.execute(List.of(), create, this.write);

		assertThat(result).isSameAs(create.entity());
		assertThat(this.written).containsExactly(create);
	}

	@Test
	void afterTheWriteTheIdIsTheOneTheWrittenRecordGot() {
		DefaultMutation<Book> create = TestModels.bookCreate();
		List<Object> ids = new ArrayList<>();
		Hook recordingId = next -> mutation -> {
			ids.add(mutation.id());
			Object written = next.mutate(mutation);
			ids.add(mutation.id());
			return written;
		};

		MutationExecutor.execute(List.of(recordingId), create, mutation -> new Book(42L, "Dune", "Herbert"));

		assertThat(ids).containsExactly(null, 42L);
	}

	@Test
	void aWriteOfTheSameTypeNestedInAHookMakesTheOuterMutationReadItsOldStateAgain() {
		CountingOldState<Person> stored = CountingOldState.of(new Person(1L, "ann", "a0@example.com"));
		DefaultMutation<Person> delete = DefaultMutation.deleteOne(TestModels.PERSON, 1L, TestModels.context(stored));
		List<Integer> loadsSeenByTheWrite = new ArrayList<>();
		Hook savingTheRowAgain = next -> mutation -> {
			mutation.oldEntity();
			MutationExecutor.execute(List.of(), TestModels.personMutation(Op.UPDATE_ONE), this.write);
			return next.mutate(mutation);
		};
		Hook innermost = next -> mutation -> {
			mutation.oldEntities();
			loadsSeenByTheWrite.add(stored.loads());
			return next.mutate(mutation);
		};

		MutationExecutor.execute(List.of(savingTheRowAgain, innermost), delete, this.write);

		assertThat(loadsSeenByTheWrite).containsExactly(2);
	}

	@Test
	void aWriteOfAnotherTypeNestedInAHookKeepsTheOuterOldState() {
		CountingOldState<Person> stored = CountingOldState.of(new Person(1L, "ann", "a0@example.com"));
		DefaultMutation<Person> delete = DefaultMutation.deleteOne(TestModels.PERSON, 1L, TestModels.context(stored));
		Hook savingABook = next -> mutation -> {
			mutation.oldEntity();
			MutationExecutor.execute(List.of(), TestModels.bookCreate(), this.write);
			mutation.oldEntity();
			return next.mutate(mutation);
		};

		MutationExecutor.execute(List.of(savingABook), delete, this.write);

		assertThat(stored.loads()).isEqualTo(1);
	}

	@Test
	void aFailureOfTheOldStateReadSurfacesUnchanged() {
		IllegalStateException databaseFailure = new IllegalStateException("table app_user not found");
		DefaultMutation<Person> delete = DefaultMutation.deleteOne(TestModels.PERSON, 1L,
				TestModels.context(() -> {
					throw databaseFailure;
				}));
		Hook readingOldState = next -> mutation -> {
			mutation.oldEntity();
			return next.mutate(mutation);
		};

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(readingOldState), delete, this.write))
			.isSameAs(databaseFailure);
	}

	@Test
	void hooksRunBeforeAndAfterTheWriteFirstOutermost() {
		MutationExecutor.execute(List.of(enterExit("f"), enterExit("g")), TestModels.personMutation(Op.CREATE),
				this.write);

		assertThat(this.events).containsExactly("f enter", "g enter", "write", "g exit", "f exit");
	}

	@Test
	void writeReceivesTheMutationThatReachedIt() {
		DefaultMutation<Person> create = TestModels.personMutation(Op.CREATE);
		Person replacement = new Person(null, "bob", null);
		Hook replacing = next -> mutation -> next.mutate(create.withEntity(replacement));

		Object result = MutationExecutor.execute(List.of(replacing), create, this.write);

		assertThat(result).isSameAs(replacement);
		assertThat(this.written).singleElement().satisfies(reached -> assertThat(reached.entity()).isSameAs(replacement));
	}

	@Test
	void setFieldInAHookChangesWhatIsWritten() {
		DefaultMutation<Book> create = TestModels.bookCreate();
		Hook retitling = next -> mutation -> {
			mutation.setField("title", "Children of Dune");
			return next.mutate(mutation);
		};

		Object result = MutationExecutor.execute(List.of(retitling), create, this.write);

		assertThat(result).isEqualTo(new Book(null, "Children of Dune", "Herbert"));
	}

	@Test
	void hookRuntimeExceptionBecomesMutationExceptionNamingTypeOpAndReason() {
		IllegalStateException failure = new IllegalStateException("name is required");

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(throwing(failure)),
					TestModels.personMutation(Op.UPDATE_ONE), this.write))
			.withMessage("UPDATE_ONE of Person failed: name is required")
			.withCause(failure)
			.satisfies(ex -> {
				assertThat(ex.getCause()).isSameAs(failure);
				assertThat(ex.getEntityType()).isEqualTo(Person.class);
				assertThat(ex.getOp()).isEqualTo(Op.UPDATE_ONE);
				assertThat(ex.getReason()).isEqualTo("name is required");
			});
		assertThat(this.events).isEmpty();
	}

	@Test
	void hookCheckedExceptionBecomesMutationExceptionWithItsTypeInTheReason() {
		IOException failure = new IOException("avatar store unreachable");

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(throwing(failure)), TestModels.personMutation(Op.CREATE),
					this.write))
			.withMessage("CREATE of Person failed: IOException: avatar store unreachable")
			.satisfies(ex -> {
				assertThat(ex.getCause()).isSameAs(failure);
				assertThat(ex.getReason()).isEqualTo("IOException: avatar store unreachable");
			});
		assertThat(this.events).isEmpty();
	}

	@Test
	void hookExceptionWithoutMessageIsNamedByItsType() {
		UnsupportedOperationException failure = new UnsupportedOperationException();

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(throwing(failure)), TestModels.personMutation(Op.DELETE),
					this.write))
			.withMessage("DELETE of Person failed: UnsupportedOperationException")
			.withCause(failure);
	}

	@Test
	void fixedErrorIsReportedAsAMutationException() {
		IOException failure = new IOException("read-only");

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(Hooks.fixedError(failure)),
					TestModels.personMutation(Op.DELETE_ONE), this.write))
			.withMessage("DELETE_ONE of Person failed: IOException: read-only")
			.withCause(failure);
		assertThat(this.events).isEmpty();
	}

	@Test
	void writeIsNotCalledWhenAHookThrowsBeforeNext() {
		Hook recordingThenThrowing = next -> mutation -> {
			this.events.add("hook");
			throw new IllegalArgumentException("refused");
		};

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> MutationExecutor
			.execute(List.of(recordingThenThrowing, enterExit("inner")), TestModels.personMutation(Op.CREATE), this.write));

		assertThat(this.events).containsExactly("hook");
		assertThat(this.written).isEmpty();
	}

	@Test
	void mutationExceptionFromAHookSurfacesUnchanged() {
		MutationException refusal = new MutationException(Person.class, Op.CREATE, "quota exceeded");

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(throwing(refusal)), TestModels.personMutation(Op.CREATE),
					this.write))
			.isSameAs(refusal);
	}

	@Test
	void rejectSurfacesAsItsOwnMutationException() {
		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(Hooks.reject(Op.DELETE_ONE)),
					TestModels.personMutation(Op.DELETE_ONE), this.write))
			.withMessage("DELETE_ONE of Person failed: DELETE_ONE is not allowed")
			.withNoCause();
		assertThat(this.written).isEmpty();
	}

	@Test
	void writesOwnRuntimeExceptionSurfacesUnchanged() {
		IllegalStateException failure = new IllegalStateException("duplicate key");
		Mutator failingWrite = mutation -> {
			throw failure;
		};

		assertThatIllegalStateException()
			.isThrownBy(() -> MutationExecutor.execute(List.of(enterExit("f")), TestModels.personMutation(Op.CREATE),
					failingWrite))
			.isSameAs(failure);
	}

	@Test
	void writesOwnRuntimeExceptionSurfacesUnchangedWithoutHooks() {
		IllegalStateException failure = new IllegalStateException("duplicate key");
		Mutator failingWrite = mutation -> {
			throw failure;
		};

		assertThatIllegalStateException()
			.isThrownBy(() -> MutationExecutor.execute(List.of(), TestModels.personMutation(Op.CREATE), failingWrite))
			.isSameAs(failure);
	}

	@Test
	void writesOwnRuntimeExceptionSurfacesUnchangedThroughAHookThatRethrowsIt() {
		IllegalStateException failure = new IllegalStateException("duplicate key");
		Mutator failingWrite = mutation -> {
			throw failure;
		};
		Hook rethrowing = next -> mutation -> {
			try {
				return next.mutate(mutation);
			}
			catch (RuntimeException ex) {
				this.events.add("caught " + ex.getMessage());
				throw ex;
			}
		};
		Hook scoped = Hooks.forEntity(Person.class, Hooks.when(rethrowing, mutation -> true));

		assertThatIllegalStateException()
			.isThrownBy(() -> MutationExecutor.execute(List.of(rethrowing, scoped), TestModels.personMutation(Op.CREATE),
					failingWrite))
			.isSameAs(failure);
		assertThat(this.events).containsExactly("caught duplicate key", "caught duplicate key");
	}

	@Test
	void hookThatWrapsTheWritesExceptionFailsAsAMutationException() {
		IllegalStateException failure = new IllegalStateException("duplicate key");
		Mutator failingWrite = mutation -> {
			throw failure;
		};
		Hook wrapping = next -> mutation -> {
			try {
				return next.mutate(mutation);
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("name taken", ex);
			}
		};

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(wrapping), TestModels.personMutation(Op.CREATE),
					failingWrite))
			.withMessage("CREATE of Person failed: name taken")
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.havingCause()
			.isSameAs(failure);
	}

	@Test
	void anExceptionEqualToTheWritesButNotTheSameIsAHookFailure() {
		Mutator failingWrite = mutation -> {
			throw new IllegalStateException("duplicate key");
		};
		Hook replacing = next -> mutation -> {
			try {
				return next.mutate(mutation);
			}
			catch (IllegalStateException ex) {
				throw new IllegalStateException(ex.getMessage());
			}
		};

		assertThatExceptionOfType(MutationException.class).isThrownBy(
				() -> MutationExecutor.execute(List.of(replacing), TestModels.personMutation(Op.CREATE), failingWrite))
			.withMessage("CREATE of Person failed: duplicate key");
	}

	@Test
	void writesOwnErrorSurfacesUnchanged() {
		StackOverflowError failure = new StackOverflowError("deep");
		Mutator failingWrite = mutation -> {
			throw failure;
		};

		assertThatExceptionOfType(StackOverflowError.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(enterExit("f")), TestModels.personMutation(Op.CREATE),
					failingWrite))
			.isSameAs(failure);
	}

	@Test
	void writesCheckedExceptionCannotSurfaceUnchangedAndIsKeptAsTheCause() {
		IOException failure = new IOException("connection reset");
		Mutator failingWrite = mutation -> {
			throw failure;
		};

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(), TestModels.personMutation(Op.CREATE), failingWrite))
			.withMessage("CREATE of Person failed: IOException: connection reset")
			.withCause(failure);
	}

	@Test
	void hookReturningNullInsteadOfTheEntityIsAMutationException() {
		Hook forgetful = next -> mutation -> {
			next.mutate(mutation);
			return null;
		};

		for (Op op : List.of(Op.CREATE, Op.UPDATE_ONE)) {
			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> MutationExecutor.execute(List.of(forgetful), TestModels.personMutation(op), this.write))
				.withMessage(op + " of Person failed: a hook returned null instead of the written entity; return what"
						+ " next.mutate(mutation) returned")
				.satisfies(ex -> assertThat(ex.getOp()).isEqualTo(op));
		}
		assertThat(this.events).containsExactly("write", "write");
	}

	@Test
	void hookReturningAnotherTypeInsteadOfTheEntityIsAMutationException() {
		Hook replacing = next -> mutation -> {
			next.mutate(mutation);
			return "saved";
		};

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(replacing), TestModels.personMutation(Op.CREATE),
					this.write))
			.withMessage("CREATE of Person failed: a hook returned a java.lang.String instead of the written Person")
			.satisfies(ex -> assertThat(ex.getEntityType()).isEqualTo(Person.class));
	}

	@Test
	void hookReturningASubtypeOfTheEntityIsAccepted() {
		Employee employee = new Employee(1L, "eve", null);
		Hook replacing = next -> mutation -> {
			next.mutate(mutation);
			return employee;
		};

		assertThat(MutationExecutor.execute(List.of(replacing), TestModels.personMutation(Op.CREATE), this.write))
			.isSameAs(employee);
	}

	@Test
	void deletesMayReturnNull() {
		Mutator returningNull = mutation -> null;

		for (Op op : List.of(Op.DELETE_ONE, Op.DELETE, Op.UPDATE)) {
			assertThat(MutationExecutor.execute(List.of(enterExit("f")), TestModels.personMutation(op), returningNull))
				.as(op.name())
				.isNull();
		}
	}

	@Test
	void bulkWritesReturnWhatTheWriteReturned() {
		Mutator counting = mutation -> 3;

		assertThat(MutationExecutor.execute(List.of(), TestModels.personMutation(Op.UPDATE), counting)).isEqualTo(3);
	}

	@Test
	void hookReturningNullFromApplyIsAMutationExceptionNamingTheHook() {
		Hook forgetful = next -> null;

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> MutationExecutor.execute(List.of(forgetful), TestModels.personMutation(Op.CREATE),
					this.write))
			.withMessageContaining(MutationExecutorUnitTests.class.getName() + " (lambda) returned null from apply(next)")
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(this.written).isEmpty();
	}

	@Test
	void oldStateLoadedBeforeTheWriteIsReadableAfterIt() {
		List<Object> seen = new ArrayList<>();
		Hook auditing = next -> mutation -> {
			mutation.oldEntity();
			Object result = next.mutate(mutation);
			seen.add(mutation.oldField("name").orElseThrow());
			seen.addAll(mutation.fields());
			return result;
		};

		MutationExecutor.execute(List.of(auditing), TestModels.personMutation(Op.UPDATE_ONE), this.write);

		assertThat(seen).containsExactly("anna", "name");
	}

	@Test
	void oldStateFirstAskedForAfterTheWriteFailsTheMutation() {
		Hook late = next -> mutation -> {
			Object result = next.mutate(mutation);
			mutation.oldEntity();
			return result;
		};

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(
					() -> MutationExecutor.execute(List.of(late), TestModels.personMutation(Op.UPDATE_ONE), this.write))
			.withMessageStartingWith("UPDATE_ONE of Person failed: the old state of UPDATE_ONE Person 1 was asked for"
					+ " after the write")
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(this.written).hasSize(1);
	}

	@Test
	void writeAskingForOldStateNotLoadedBeforeFailsUnchangedBecauseTheWriteHasBegun() {
		Mutator readingOldState = Mutation::oldEntity;

		assertThatIllegalStateException()
			.isThrownBy(() -> MutationExecutor.execute(List.of(), TestModels.personMutation(Op.DELETE_ONE),
					readingOldState))
			.withMessageStartingWith("the old state of DELETE_ONE Person 1 was asked for after the write");
	}

	@Nested
	class NamingTheHookThatFailed {

		private final Hook audit = enterExit("audit");

		@Test
		void aFailureNamesTheHookBeanThatThrewIt() {
			Hook requireName = throwing(new IllegalStateException("boom"));

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(this.audit, "audit", requireName, "requireName"), this.audit,
						requireName))
				.withMessage("CREATE of Person failed in hook 'requireName': boom")
				.satisfies(ex -> assertThat(ex.getHook()).isEqualTo("requireName"));
			assertThat(MutationExecutorUnitTests.this.events).containsExactly("audit enter");
		}

		@Test
		void aHookThatReplacesTheFailureOfAnInnerHookIsTheOneNamed() {
			Hook translating = next -> mutation -> {
				try {
					return next.mutate(mutation);
				}
				catch (IllegalStateException ex) {
					throw new IllegalArgumentException("translated", ex);
				}
			};
			Hook inner = throwing(new IllegalStateException("boom"));

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(translating, "translating", inner, "inner"), translating, inner))
				.withMessage("CREATE of Person failed in hook 'translating': translated");
		}

		@Test
		void aFailureOfAnUnnamedHookNamesNoHook() {
			Hook unnamed = throwing(new IllegalStateException("boom"));

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(this.audit, "audit"), this.audit, unnamed))
				.withMessage("CREATE of Person failed: boom")
				.satisfies(ex -> assertThat(ex.getHook()).isNull());
		}

		@Test
		void aFailureOfTheWriteNamesNoHook() {
			DefaultMutation<Person> create = TestModels.personMutation(Op.CREATE);
			List<Hook> hooks = new DefaultHookRegistry(List.of(this.audit), hook -> "audit").chainFor(Person.class);

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> MutationExecutor.execute(hooks, create, mutation -> {
					throw new IOException("disk full");
				}))
				.withMessage("CREATE of Person failed: IOException: disk full");
		}

		@Test
		void aMutationExceptionAHookThrowsItselfNamesThatHookAndStaysTheSameException() {
			IOException cause = new IOException("quota service down");
			MutationException refusal = new MutationException(Person.class, Op.CREATE, "quota exceeded", cause) {
			};
			Hook quota = throwing(refusal);

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(this.audit, "audit", quota, "quota"), this.audit, quota))
				.isSameAs(refusal)
				.withMessage("CREATE of Person failed in hook 'quota': quota exceeded")
				.satisfies(ex -> {
					assertThat(ex.getHook()).isEqualTo("quota");
					assertThat(ex.getReason()).isEqualTo("quota exceeded");
					assertThat(ex.getCause()).isSameAs(cause);
				});
		}

		@Test
		void aRefusalOfTheRejectHelperNamesTheHookBeanThatDeclaredIt() {
			Hook noCreates = Hooks.reject(Op.CREATE);

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(noCreates, "noCreates"), noCreates))
				.withMessage("CREATE of Person failed in hook 'noCreates': CREATE is not allowed")
				.withNoCause();
		}

		@Test
		void aMutationExceptionThatNamesAHookAlreadyKeepsThatName() {
			MutationException named = new MutationException(Person.class, Op.CREATE, "elsewhere", "refused", null);
			Hook rethrowing = throwing(named);

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(rethrowing, "rethrowing"), rethrowing))
				.withMessage("CREATE of Person failed in hook 'elsewhere': refused");
		}

		@Test
		void theFailureOfAWriteNestedInAHookKeepsTheNameOfTheHookThatRefusedIt() {
			Hook noBooks = Hooks.reject(Op.CREATE);
			Hook savingABook = savingABook(new DefaultHookRegistry(List.of(noBooks), hook -> "noBooks"));

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(savingABook, "savingABook"), savingABook))
				.withMessage("CREATE of Book failed in hook 'noBooks': CREATE is not allowed")
				.satisfies(ex -> assertThat(ex.getHook()).isEqualTo("noBooks"));
		}

		@Test
		void theFailureOfAWriteNestedInAHookIsNotNamedAfterThatHookWhenItsOwnHookHasNoName() {
			Hook savingABook = savingABook(new DefaultHookRegistry(List.of(Hooks.reject(Op.CREATE))));

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(savingABook, "savingABook"), savingABook))
				.withMessage("CREATE of Book failed: CREATE is not allowed")
				.satisfies(ex -> assertThat(ex.getHook()).isNull());
		}

		@Test
		void aHookThatRefusesAfterANestedWriteFailedIsNamed() {
			Hook noBooks = Hooks.reject(Op.CREATE);
			Hook savingABook = savingABook(new DefaultHookRegistry(List.of(noBooks), hook -> "noBooks"));
			Hook translating = next -> mutation -> {
				try {
					return savingABook.apply(next).mutate(mutation);
				}
				catch (MutationException ex) {
					throw new MutationException(Person.class, Op.CREATE, "no book, no person", ex);
				}
			};

			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> execute(Map.of(translating, "translating"), translating))
				.withMessage("CREATE of Person failed in hook 'translating': no book, no person");
		}

		/** A hook that creates a book, with the hooks of {@code books}, before it lets its own write go on. */
		private Hook savingABook(DefaultHookRegistry books) {
			return next -> mutation -> {
				MutationExecutor.execute(books.chainFor(Book.class), TestModels.bookCreate(),
						MutationExecutorUnitTests.this.write);
				return next.mutate(mutation);
			};
		}

		private Object execute(Map<Hook, String> names, Hook... hooks) {
			List<Hook> chain = new DefaultHookRegistry(List.of(hooks), names::get).chainFor(Person.class);
			return MutationExecutor.execute(chain, TestModels.personMutation(Op.CREATE),
					MutationExecutorUnitTests.this.write);
		}

	}

	private Hook enterExit(String name) {
		return next -> mutation -> {
			this.events.add(name + " enter");
			Object result = next.mutate(mutation);
			this.events.add(name + " exit");
			return result;
		};
	}

	private static Hook throwing(Exception failure) {
		return next -> mutation -> {
			throw failure;
		};
	}

}
