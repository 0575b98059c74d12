package io.mutationhooks.core;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.mutationhooks.Mutation;
import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.DefaultMutation.WriteContext;
import io.mutationhooks.core.TestModels.Book;
import io.mutationhooks.core.TestModels.CountingOldState;
import io.mutationhooks.core.TestModels.Person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link DefaultMutation} is what hooks see: the new state, the fields it sets, and the old state read lazily,
 * once, and only before the write.
 */
class DefaultMutationUnitTests {

	@Nested
	class Create {

		@Test
		void fieldsAreTheNonNullFieldsInDeclarationOrder() {
			DefaultMutation<Person> create = create(new Person(null, "ann", "ann@example.com"));

			assertThat(create.op()).isEqualTo(Op.CREATE);
			assertThat(create.type()).isEqualTo(Person.class);
			assertThat(create.fields()).containsExactly("name", "email");
			assertThat(create.clearedFields()).isEmpty();
		}

		@Test
		void fieldGivesTheValueOfASetField() {
			DefaultMutation<Person> create = create(new Person(null, "ann", null));

			assertThat(create.field("name")).contains("ann");
			assertThat(create.field("email")).isEmpty();
			assertThat(create.field("id")).isEmpty();
		}

		@Test
		void unknownFieldNameIsAnErrorListingTheFields() {
			DefaultMutation<Person> create = create(new Person(null, "ann", null));

			assertThatIllegalArgumentException().isThrownBy(() -> create.field("nmae"))
				.withMessage("Person has no field 'nmae'; its fields are [id, name, email]");
			assertThatIllegalArgumentException().isThrownBy(() -> create.oldField("nmae"))
				.withMessage("Person has no field 'nmae'; its fields are [id, name, email]");
			assertThatIllegalArgumentException().isThrownBy(() -> create.setField("nmae", "x"))
				.withMessage("Person has no field 'nmae'; its fields are [id, name, email]");
		}

		@Test
		void idIsThatOfTheEntityOrNullWhenTheDatabaseAssignsIt() {
			assertThat(create(new Person(null, "ann", null)).id()).isNull();
			assertThat(create(new Person(null, "ann", null)).ids()).isEmpty();
			assertThat(create(new Person(7L, "ann", null)).id()).isEqualTo(7L);
			assertThat(create(new Person(7L, "ann", null)).ids()).containsExactly(7L);
		}

		@Test
		void hasNoOldStateAndNeverLoadsIt() {
			CountingOldState<Person> oldState = CountingOldState.of(new Person(1L, "stored", null));
			DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, "ann", null),
					TestModels.context(oldState));

			assertThat(create.oldEntity()).isNull();
			assertThat(create.oldEntities()).isEmpty();
			assertThat(create.oldField("name")).isEmpty();
			assertThat(oldState.loads()).isZero();
		}

		@Test
		void requiresAnEntity() {
			assertThatNullPointerException()
				.isThrownBy(() -> DefaultMutation.create(TestModels.PERSON, null, TestModels.context(OldState.none())))
				.withMessage("entity must not be null");
		}

		@Test
		void showsOpTypeAndId() {
			assertThat(create(new Person(null, "ann", null))).hasToString("CREATE Person");
			assertThat(create(new Person(3L, "ann", null))).hasToString("CREATE Person 3");
		}

	}

	@Nested
	class UpdateOne {

		@Test
		void fieldsAreThoseChangedFromTheOldState() {
			DefaultMutation<Person> update = updateOne(new Person(1L, "anna", "ann@example.com"),
					CountingOldState.of(new Person(1L, "ann", "ann@example.com")));

			assertThat(update.fields()).containsExactly("name");
			assertThat(update.field("name")).contains("anna");
			assertThat(update.field("email")).isEmpty();
		}

		@Test
		void clearedFieldsAreThoseSetToNullThatHeldAValue() {
			DefaultMutation<Person> update = updateOne(new Person(1L, null, null),
					CountingOldState.of(new Person(1L, "ann", null)));

			assertThat(update.clearedFields()).containsExactly("name");
			assertThat(update.fields()).containsExactly("name");
		}

		@Test
		void withoutAStoredRowFieldsAreTheNonNullOnesAndNoneIsCleared() {
			DefaultMutation<Person> update = updateOne(new Person(1L, "ann", null), CountingOldState.of());

			assertThat(update.oldEntity()).isNull();
			assertThat(update.oldEntities()).isEmpty();
			assertThat(update.fields()).containsExactly("id", "name");
			assertThat(update.clearedFields()).isEmpty();
		}

		@Test
		void oldEntityIsTheStoredRow() {
			Person stored = new Person(1L, "ann", "old@example.com");
			DefaultMutation<Person> update = updateOne(new Person(1L, "ann", "new@example.com"),
					CountingOldState.of(stored));

			assertThat(update.oldEntity()).isSameAs(stored);
			assertThat(update.oldEntities()).containsExactly(stored);
			assertThat(update.oldField("email")).contains("old@example.com");
			assertThat(update.id()).isEqualTo(1L);
			assertThat(update.ids()).containsExactly(1L);
		}

		@Test
		void oldStateIsLoadedLazilyAndAtMostOnce() {
			CountingOldState<Person> oldState = CountingOldState.of(new Person(1L, "ann", null));
			DefaultMutation<Person> update = updateOne(new Person(1L, "anna", null), oldState);

			assertThat(oldState.loads()).isZero();

			update.oldEntity();
			update.oldEntities();
			update.oldField("name");
			update.fields();
			update.clearedFields();
			update.field("name");

			assertThat(oldState.loads()).isEqualTo(1);
		}

		@Test
		void emptyOldStateIsAlsoLoadedOnlyOnce() {
			CountingOldState<Person> oldState = CountingOldState.of();
			DefaultMutation<Person> update = updateOne(new Person(1L, "ann", null), oldState);

			update.oldEntity();
			update.oldEntity();

			assertThat(oldState.loads()).isEqualTo(1);
		}

		@Test
		void oldStateAfterWriteWithoutLoadingBeforeIsAnError() {
			WriteContext<Person> context = TestModels.context(CountingOldState.of(new Person(1L, "ann", null)));
			DefaultMutation<Person> update = DefaultMutation.updateOne(TestModels.PERSON,
					new Person(1L, "anna", null), context);

			context.beginWrite();

			assertThatIllegalStateException().isThrownBy(update::oldEntity)
				.withMessage("the old state of UPDATE_ONE Person 1 was asked for after the write; ask for it before"
						+ " calling next.mutate(mutation) so that it is read before the row changes");
			assertThatIllegalStateException().isThrownBy(update::fields)
				.withMessageContaining("before calling next.mutate(mutation)");
			assertThatIllegalStateException().isThrownBy(update::oldEntities)
				.withMessageContaining("after the write");
		}

		@Test
		void oldStateLoadedBeforeTheWriteIsAvailableAfterIt() {
			Person stored = new Person(1L, "ann", null);
			CountingOldState<Person> oldState = CountingOldState.of(stored);
			WriteContext<Person> context = TestModels.context(oldState);
			DefaultMutation<Person> update = DefaultMutation.updateOne(TestModels.PERSON,
					new Person(1L, "anna", null), context);
			update.oldEntity();

			context.beginWrite();

			assertThat(update.oldEntity()).isSameAs(stored);
			assertThat(update.fields()).containsExactly("name");
			assertThat(update.oldField("name")).contains("ann");
			assertThat(oldState.loads()).isEqualTo(1);
		}

		@Test
		void requiresAnEntity() {
			assertThatNullPointerException()
				.isThrownBy(
						() -> DefaultMutation.updateOne(TestModels.PERSON, null, TestModels.context(OldState.none())))
				.withMessage("entity must not be null");
		}

		@Test
		void showsOpTypeAndId() {
			assertThat(updateOne(new Person(5L, "ann", null), CountingOldState.of())).hasToString("UPDATE_ONE Person 5");
		}

	}

	@Nested
	class DeleteOne {

		@Test
		void hasTheIdAndNoEntityOrFields() {
			DefaultMutation<Person> delete = deleteOne(4L, CountingOldState.of());

			assertThat(delete.op()).isEqualTo(Op.DELETE_ONE);
			assertThat(delete.id()).isEqualTo(4L);
			assertThat(delete.ids()).containsExactly(4L);
			assertThat(delete.entity()).isNull();
			assertThat(delete.fields()).isEmpty();
			assertThat(delete.clearedFields()).isEmpty();
			assertThat(delete.field("name")).isEmpty();
			assertThat(delete).hasToString("DELETE_ONE Person 4");
		}

		@Test
		void oldEntityIsTheStoredRowLoadedOnce() {
			Person stored = new Person(4L, "ann", null);
			CountingOldState<Person> oldState = CountingOldState.of(stored);
			DefaultMutation<Person> delete = deleteOne(4L, oldState);

			assertThat(delete.oldEntity()).isSameAs(stored);
			assertThat(delete.oldEntities()).containsExactly(stored);
			assertThat(delete.oldField("name")).contains("ann");
			assertThat(oldState.loads()).isEqualTo(1);
		}

		@Test
		void oldEntityIsNullWhenThereIsNoStoredRow() {
			DefaultMutation<Person> delete = deleteOne(4L, CountingOldState.of());

			assertThat(delete.oldEntity()).isNull();
			assertThat(delete.oldField("name")).isEmpty();
		}

		@Test
		void requiresAnId() {
			assertThatNullPointerException()
				.isThrownBy(() -> DefaultMutation.deleteOne(TestModels.PERSON, null, TestModels.context(OldState.none())))
				.withMessage("id must not be null");
		}

	}

	@Nested
	class BulkDelete {

		@Test
		void idsAreTheExplicitIdsAndNeedNoOldState() {
			CountingOldState<Person> oldState = CountingOldState.of(new Person(1L, "ann", null));
			DefaultMutation<Person> delete = DefaultMutation.delete(TestModels.PERSON, List.of(1L, 2L),
					TestModels.context(oldState));

			assertThat(delete.ids()).containsExactly(1L, 2L);
			assertThat(delete.id()).isNull();
			assertThat(delete.rowsKnown()).isTrue();
			assertThat(oldState.loads()).isZero();
			assertThat(delete).hasToString("DELETE Person [1, 2]");
		}

		@Test
		void explicitIdsAreCopied() {
			List<Object> ids = new ArrayList<>(List.of(1L, 2L));
			DefaultMutation<Person> delete = DefaultMutation.delete(TestModels.PERSON, ids,
					TestModels.context(OldState.none()));

			ids.add(3L);

			assertThat(delete.ids()).containsExactly(1L, 2L);
		}

		@Test
		void deleteAllTakesItsIdsFromTheOldState() {
			CountingOldState<Person> oldState = CountingOldState.of(new Person(1L, "ann", null),
					new Person(2L, "bob", null));
			DefaultMutation<Person> deleteAll = DefaultMutation.delete(TestModels.PERSON, null,
					TestModels.context(oldState));

			assertThat(deleteAll.ids()).containsExactly(1L, 2L);
			assertThat(deleteAll.oldEntities()).extracting(Person::getName).containsExactly("ann", "bob");
			assertThat(deleteAll.ids()).containsExactly(1L, 2L);
			assertThat(oldState.loads()).isEqualTo(1);
			assertThat(deleteAll).hasToString("DELETE Person all");
		}

		@Test
		void deleteAllIdsAfterWriteWithoutLoadingBeforeIsAnError() {
			WriteContext<Person> context = TestModels.context(CountingOldState.of(new Person(1L, "ann", null)));
			DefaultMutation<Person> deleteAll = DefaultMutation.delete(TestModels.PERSON, null, context);

			context.beginWrite();

			assertThatIllegalStateException().isThrownBy(deleteAll::ids)
				.withMessageStartingWith("the old state of DELETE Person all was asked for after the write");
		}

		@Test
		void oldEntitiesAreTheStoredRows() {
			Person ann = new Person(1L, "ann", null);
			Person bob = new Person(2L, "bob", null);
			DefaultMutation<Person> delete = DefaultMutation.delete(TestModels.PERSON, List.of(1L, 2L),
					TestModels.context(CountingOldState.of(ann, bob)));

			assertThat(delete.oldEntities()).containsExactly(ann, bob);
		}

		@Test
		void oldEntityIsAnErrorPointingToOldEntities() {
			DefaultMutation<Person> delete = DefaultMutation.delete(TestModels.PERSON, List.of(1L),
					TestModels.context(CountingOldState.of(new Person(1L, "ann", null))));

			assertThatIllegalStateException().isThrownBy(delete::oldEntity)
				.withMessage("DELETE of Person touches several rows: use oldEntities() instead of oldEntity()");
			assertThatIllegalStateException().isThrownBy(() -> delete.oldField("name"))
				.withMessageContaining("use oldEntities()");
		}

		@Test
		void hasNoEntityOrFields() {
			DefaultMutation<Person> delete = TestModels.personMutation(Op.DELETE);

			assertThat(delete.entity()).isNull();
			assertThat(delete.fields()).isEmpty();
			assertThat(delete.clearedFields()).isEmpty();
		}

	}

	@Nested
	class Query {

		@Test
		void rowsAreNotKnownAndTheQueryIsNamed() {
			DefaultMutation<Person> update = DefaultMutation.query(Op.UPDATE, TestModels.PERSON,
					TestModels.queryContext());

			assertThat(update.op()).isEqualTo(Op.UPDATE);
			assertThat(update.rowsKnown()).isFalse();
			assertThat(update.query()).contains(TestModels.QUERY);
			assertThat(update.id()).isNull();
			assertThat(update.entity()).isNull();
			assertThat(update.fields()).isEmpty();
			assertThat(update).hasToString("UPDATE Person " + TestModels.QUERY);
		}

		@Test
		void idsAreAnErrorNamingTheQuery() {
			DefaultMutation<Person> delete = DefaultMutation.query(Op.DELETE, TestModels.PERSON,
					TestModels.queryContext());

			assertThatIllegalStateException().isThrownBy(delete::ids)
				.withMessage("ids() is not available for " + TestModels.QUERY
						+ ": the rows a query method writes are not known before it runs");
		}

		@Test
		void oldEntitiesAreAnErrorNamingTheQuery() {
			DefaultMutation<Person> delete = DefaultMutation.query(Op.DELETE, TestModels.PERSON,
					TestModels.queryContext());

			assertThatIllegalStateException().isThrownBy(delete::oldEntities)
				.withMessage("oldEntities() is not available for " + TestModels.QUERY
						+ ": the rows a query method writes are not known before it runs");
		}

		@Test
		void oldEntityIsAnErrorNamingTheQuery() {
			DefaultMutation<Person> update = DefaultMutation.query(Op.UPDATE, TestModels.PERSON,
					TestModels.queryContext());

			assertThatIllegalStateException().isThrownBy(update::oldEntity)
				.withMessageStartingWith("oldEntity() is not available for")
				.withMessageContaining("the rows a query method writes are not known before it runs");
		}

		@Test
		void onlyCreateAndBulkUpdateAndDeleteCanBeQueryWrites() {
			for (Op op : List.of(Op.UPDATE_ONE, Op.DELETE_ONE)) {
				assertThatIllegalArgumentException()
					.isThrownBy(() -> DefaultMutation.query(op, TestModels.PERSON, TestModels.queryContext()))
					.withMessage("a query write is a CREATE, or a bulk UPDATE or DELETE, not " + op);
			}
			DefaultMutation<Person> insert = DefaultMutation.query(Op.CREATE, TestModels.PERSON,
					TestModels.queryContext());
			assertThat(insert.rowsKnown()).isFalse();
			assertThat(insert.entity()).isNull();
		}

		@Test
		void aDerivedDeleteNamesItsQueryAndKnowsItsRowsFromItsOldState() {
			List<Person> matching = List.of(new Person(1L, "ann", null), new Person(2L, "ann", null));
			DefaultMutation<Person> delete = DefaultMutation.derivedDelete(TestModels.PERSON,
					new WriteContext<>(() -> matching, new DeferredTransactionHooks(), type -> null, TestModels.QUERY));

			assertThat(delete.op()).isEqualTo(Op.DELETE);
			assertThat(delete.rowsKnown()).isTrue();
			assertThat(delete.query()).contains(TestModels.QUERY);
			assertThat(delete.ids()).containsExactly(1L, 2L);
			assertThat(delete.oldEntities()).isEqualTo(matching);
			assertThat(delete).hasToString("DELETE Person " + TestModels.QUERY);
		}

		@Test
		void aggregateWritesHaveNoQuery() {
			assertThat(TestModels.personMutation(Op.CREATE).query()).isEmpty();
			assertThat(TestModels.personMutation(Op.DELETE).rowsKnown()).isTrue();
		}

	}

	@Nested
	class SetField {

		@Test
		void changesAMutableEntityInPlace() {
			Person person = new Person(null, "ann", null);
			DefaultMutation<Person> create = create(person);

			create.setField("email", "ann@example.com");

			assertThat(create.entity()).isSameAs(person);
			assertThat(person.getEmail()).isEqualTo("ann@example.com");
			assertThat(create.fields()).containsExactly("name", "email");
			assertThat(create.field("email")).contains("ann@example.com");
		}

		@Test
		void replacesARecordWithACopy() {
			Book dune = new Book(null, "Dune", "Herbert");
			DefaultMutation<Book> create = DefaultMutation.create(TestModels.BOOK, dune,
					TestModels.context(OldState.none()));

			create.setField("title", "Dune Messiah");

			assertThat(create.entity()).isNotSameAs(dune).isEqualTo(new Book(null, "Dune Messiah", "Herbert"));
			assertThat(dune.title()).isEqualTo("Dune");
			assertThat(create.field("title")).contains("Dune Messiah");
		}

		@Test
		void settingTheIdOfARecordChangesTheMutationsId() {
			DefaultMutation<Book> create = DefaultMutation.create(TestModels.BOOK, new Book(null, "Dune", "Herbert"),
					TestModels.context(OldState.none()));

			create.setField("id", 42L);

			assertThat(create.id()).isEqualTo(42L);
		}

		@Test
		void onUpdateTheChangedFieldIsComparedWithTheOldState() {
			DefaultMutation<Person> update = updateOne(new Person(1L, "ann", null),
					CountingOldState.of(new Person(1L, "ann", null)));
			assertThat(update.fields()).isEmpty();

			update.setField("email", "ann@example.com");

			assertThat(update.fields()).containsExactly("email");
		}

		@Test
		void afterTheWriteIsAnError() {
			WriteContext<Person> context = TestModels.context(OldState.none());
			DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, "ann", null),
					context);

			context.beginWrite();

			assertThatIllegalStateException().isThrownBy(() -> create.setField("name", "bob"))
				.withMessageStartingWith("setField(\"name\", ...) of CREATE Person was asked for after the write");
			assertThat(create.entity().getName()).isEqualTo("ann");
		}

		@Test
		void withoutAnEntityIsAnError() {
			DefaultMutation<Person> delete = TestModels.personMutation(Op.DELETE_ONE);

			assertThatIllegalStateException().isThrownBy(() -> delete.setField("name", "bob"))
				.withMessage("DELETE_ONE of Person has no entity to set 'name' on");
		}

	}

	@Nested
	class WithEntity {

		@Test
		void writesTheReplacementWithTheSameOpAndContext() {
			TransactionHooks transaction = new DeferredTransactionHooks();
			WriteContext<Person> context = new WriteContext<>(OldState.none(), transaction, type -> null, null);
			DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, "ann", null),
					context);
			Person replacement = new Person(null, "bob", null);

			Mutation<Person> copy = create.withEntity(replacement);

			assertThat(copy.entity()).isSameAs(replacement);
			assertThat(copy.op()).isEqualTo(Op.CREATE);
			assertThat(copy.transaction()).isSameAs(create.transaction());
			assertThat(DefaultMutation.contextOf(copy)).isSameAs(context);
			assertThat(create.entity().getName()).isEqualTo("ann");
		}

		@Test
		void sharesTheOldStateLoadedOnce() {
			Person stored = new Person(1L, "ann", null);
			CountingOldState<Person> oldState = CountingOldState.of(stored);
			DefaultMutation<Person> update = updateOne(new Person(1L, "anna", null), oldState);

			Mutation<Person> copy = update.withEntity(new Person(1L, "annie", null));

			assertThat(copy.oldEntity()).isSameAs(stored);
			assertThat(update.oldEntity()).isSameAs(stored);
			assertThat(copy.field("name")).contains("annie");
			assertThat(oldState.loads()).isEqualTo(1);
		}

		@Test
		void sharesTheStartOfTheWrite() {
			WriteContext<Person> context = TestModels.context(CountingOldState.of(new Person(1L, "ann", null)));
			DefaultMutation<Person> update = DefaultMutation.updateOne(TestModels.PERSON,
					new Person(1L, "anna", null), context);
			Mutation<Person> copy = update.withEntity(new Person(1L, "annie", null));

			context.beginWrite();

			assertThatIllegalStateException().isThrownBy(copy::oldEntity).withMessageContaining("after the write");
			assertThatIllegalStateException().isThrownBy(() -> copy.setField("name", "x"))
				.withMessageContaining("after the write");
		}

		@Test
		@SuppressWarnings({ "rawtypes", "unchecked" })
		void rejectsAnEntityOfAnotherType() {
			Mutation raw = create(new Person(null, "ann", null));

			assertThatIllegalArgumentException().isThrownBy(() -> raw.withEntity("not a person"))
				.withMessage("replacement entity must be a " + Person.class.getName() + ", not java.lang.String");
		}

		@Test
		void rejectsNull() {
			DefaultMutation<Person> create = create(new Person(null, "ann", null));

			assertThatNullPointerException().isThrownBy(() -> create.withEntity(null))
				.withMessage("entity must not be null");
		}

		@Test
		void withoutAnEntityIsAnError() {
			DefaultMutation<Person> delete = TestModels.personMutation(Op.DELETE_ONE);

			assertThatIllegalStateException().isThrownBy(() -> delete.withEntity(new Person(1L, "ann", null)))
				.withMessage("DELETE_ONE of Person writes no entity to replace");
		}

	}

	@Nested
	class Context {

		@Test
		void clientGivesTheClientOfTheType() {
			StringBuilder client = new StringBuilder();
			Function<Class<?>, Object> clients = type -> type.isInstance(client) ? client : null;
			DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, "ann", null),
					new WriteContext<>(OldState.none(), new DeferredTransactionHooks(), clients, null));

			assertThat(create.client(StringBuilder.class)).isSameAs(client);
			assertThat(create.client(CharSequence.class)).isSameAs(client);
		}

		@Test
		void clientOfAnUnknownTypeIsAnError() {
			DefaultMutation<Person> create = TestModels.personMutation(Op.CREATE);

			assertThatIllegalArgumentException().isThrownBy(() -> create.client(Integer.class))
				.withMessage("no client of type java.lang.Integer is available to hooks");
		}

		@Test
		void transactionRegistersWithTheContextsTransactionHooks() {
			DeferredTransactionHooks transaction = new DeferredTransactionHooks();
			DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, "ann", null),
					new WriteContext<>(OldState.none(), transaction, type -> null, null));
			List<String> ran = new ArrayList<>();

			create.transaction().beforeCommit(() -> ran.add("before commit"));
			create.transaction().afterCommit(() -> ran.add("after commit"));
			transaction.succeeded();

			assertThat(ran).containsExactly("before commit", "after commit");
		}

		@Test
		void aBeforeCommitRefusalNamesTheEntityAndTheOperation() {
			DeferredTransactionHooks transaction = new DeferredTransactionHooks();
			DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, "ann", null),
					new WriteContext<>(OldState.none(), transaction, type -> null, null));
			IllegalStateException veto = new IllegalStateException("quota exceeded");

			create.transaction().beforeCommit(() -> {
				throw veto;
			});

			assertThatExceptionOfType(MutationException.class).isThrownBy(transaction::succeeded)
				.withMessage("CREATE of Person failed: a before-commit action refused the commit: quota exceeded")
				.withCause(veto)
				.satisfies(ex -> assertThat(ex.getOp()).isEqualTo(Op.CREATE));
		}

		@Test
		void contextRequiresOldStateTransactionAndClients() {
			TransactionHooks transaction = new DeferredTransactionHooks();

			assertThatNullPointerException().isThrownBy(() -> new WriteContext<>(null, transaction, type -> null, null))
				.withMessage("oldState must not be null");
			assertThatNullPointerException()
				.isThrownBy(() -> new WriteContext<>(OldState.none(), null, type -> null, null))
				.withMessage("transaction must not be null");
			assertThatNullPointerException()
				.isThrownBy(() -> new WriteContext<>(OldState.none(), transaction, null, null))
				.withMessage("clients must not be null");
		}

		@Test
		void contextKnowsTheWritesOwnFailureByIdentity() {
			WriteContext<Person> context = TestModels.context(OldState.none());
			RuntimeException failure = new RuntimeException("constraint violated");

			context.writeFailed(failure);

			assertThat(context.isWriteFailure(failure)).isTrue();
			assertThat(context.isWriteFailure(new RuntimeException("constraint violated"))).isFalse();
			assertThat(context.isWriteFailure(null)).isFalse();
		}

		@Test
		void contextOfAForeignMutationIsNull() {
			Mutation<?> foreign = (Mutation<?>) Proxy.newProxyInstance(
					getClass().getClassLoader(), new Class<?>[] { Mutation.class }, (proxy, method, args) -> null);

			assertThat(DefaultMutation.contextOf(foreign)).isNull();
			assertThat(DefaultMutation.contextOf(TestModels.personMutation(Op.CREATE))).isNotNull();
		}

		@Test
		void noOldStateIsEmpty() {
			assertThat(OldState.none().load()).isEmpty();
		}

		@Test
		void modelIsTheEntityModel() {
			assertThat(TestModels.personMutation(Op.CREATE).model()).isSameAs(TestModels.PERSON);
		}

	}

	static DefaultMutation<Person> create(Person person) {
		return DefaultMutation.create(TestModels.PERSON, person, TestModels.context(OldState.none()));
	}

	static DefaultMutation<Person> updateOne(Person person, OldState<Person> oldState) {
		return DefaultMutation.updateOne(TestModels.PERSON, person, TestModels.context(oldState));
	}

	static DefaultMutation<Person> deleteOne(Object id, OldState<Person> oldState) {
		return DefaultMutation.deleteOne(TestModels.PERSON, id, TestModels.context(oldState));
	}

}
