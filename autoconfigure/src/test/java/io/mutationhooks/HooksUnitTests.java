package io.mutationhooks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.mutationhooks.core.GuardedHook;
import io.mutationhooks.core.TestModels;
import io.mutationhooks.core.TestModels.Book;
import io.mutationhooks.core.TestModels.Person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The helpers of {@link Hooks} decide when a hook runs, as Ent's {@code hook} package does.
 */
class HooksUnitTests {

	private final List<String> events = new ArrayList<>();

	private final Mutator write = mutation -> {
		this.events.add("write");
		return mutation.entity();
	};

	@Test
	void onRunsTheHookOnlyForTheGivenOps() throws Exception {
		Hook hook = Hooks.on(recording("hook"), Op.CREATE, Op.UPDATE_ONE);

		for (Op op : Op.values()) {
			this.events.clear();
			run(hook, TestModels.personMutation(op));
			if (op.is(Op.CREATE, Op.UPDATE_ONE)) {
				assertThat(this.events).as(op.name()).containsExactly("hook", "write");
			}
			else {
				assertThat(this.events).as(op.name()).containsExactly("write");
			}
		}
	}

	@Test
	void unlessRunsTheHookForEveryOpButTheGivenOnes() throws Exception {
		Hook hook = Hooks.unless(recording("hook"), Op.DELETE_ONE, Op.DELETE);

		for (Op op : Op.values()) {
			this.events.clear();
			run(hook, TestModels.personMutation(op));
			if (op.isDelete()) {
				assertThat(this.events).as(op.name()).containsExactly("write");
			}
			else {
				assertThat(this.events).as(op.name()).containsExactly("hook", "write");
			}
		}
	}

	@Test
	void whenRunsTheHookWhenTheConditionHolds() throws Exception {
		run(Hooks.when(recording("hook"), mutation -> true), TestModels.personMutation(Op.CREATE));

		assertThat(this.events).containsExactly("hook", "write");
	}

	@Test
	void whenSkipsTheHookButStillWritesWhenTheConditionDoesNotHold() throws Exception {
		Object result = run(Hooks.when(recording("hook"), mutation -> false), TestModels.personMutation(Op.CREATE));

		assertThat(this.events).containsExactly("write");
		assertThat(result).isInstanceOf(Person.class);
	}

	@Test
	void whenTestsTheConditionOnEachMutation() throws Exception {
		Hook hook = Hooks.when(recording("hook"), Condition.hasFields("email"));
		Mutator mutator = hook.apply(this.write);

		mutator.mutate(TestModels.personMutation(Op.CREATE));
		mutator.mutate(TestModels.personMutation(Op.UPDATE_ONE));

		assertThat(this.events).containsExactly("hook", "write", "write");
	}

	@Test
	void whenRefusesNullArguments() {
		assertThatNullPointerException().isThrownBy(() -> Hooks.when(null, mutation -> true))
			.withMessage("hook must not be null");
		assertThatNullPointerException().isThrownBy(() -> Hooks.when(recording("hook"), null))
			.withMessage("condition must not be null");
	}

	@Test
	void onAndUnlessRefuseAnEmptyListOfOps() {
		assertThatIllegalArgumentException().isThrownBy(() -> Hooks.on(recording("hook")))
			.withMessage("ops must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> Hooks.unless(recording("hook")))
			.withMessage("ops must not be empty");
	}

	@Test
	void fixedErrorFailsWithTheGivenErrorAndWritesNothing() {
		IOException error = new IOException("read-only mode");

		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> run(Hooks.fixedError(error), TestModels.personMutation(Op.CREATE)))
			.isSameAs(error);
		assertThat(this.events).isEmpty();
	}

	@Test
	void fixedErrorRefusesANullError() {
		assertThatNullPointerException().isThrownBy(() -> Hooks.fixedError(null))
			.withMessage("error must not be null");
	}

	@Test
	void rejectRefusesOnlyTheGivenOps() throws Exception {
		Hook hook = Hooks.reject(Op.DELETE_ONE, Op.DELETE);

		for (Op op : EnumSet.of(Op.CREATE, Op.UPDATE_ONE, Op.UPDATE)) {
			this.events.clear();
			run(hook, TestModels.personMutation(op));
			assertThat(this.events).as(op.name()).containsExactly("write");
		}
		this.events.clear();
		for (Op op : EnumSet.of(Op.DELETE_ONE, Op.DELETE)) {
			assertThatExceptionOfType(MutationException.class)
				.isThrownBy(() -> run(hook, TestModels.personMutation(op)))
				.withMessage(op + " of Person failed: " + op + " is not allowed")
				.satisfies(ex -> {
					assertThat(ex.getEntityType()).isEqualTo(Person.class);
					assertThat(ex.getOp()).isEqualTo(op);
					assertThat(ex.getReason()).isEqualTo(op + " is not allowed");
					assertThat(ex.getCause()).isNull();
				});
		}
		assertThat(this.events).isEmpty();
	}

	@Test
	void rejectRefusesAnEmptyListOfOps() {
		assertThatIllegalArgumentException().isThrownBy(Hooks::reject).withMessage("ops must not be empty");
	}

	@Test
	void typedEntityHookRunsOnlyForItsTypeAndSubtypes() throws Exception {
		List<String> seen = new ArrayList<>();
		EntityHook hook = Hooks.forEntity(Person.class, (mutation, next) -> {
			Person person = mutation.entity();
			seen.add(person.getName());
			return next.mutate(mutation);
		});

		run(hook, TestModels.personMutation(Op.CREATE));
		run(hook, TestModels.employeeCreate());
		run(hook, TestModels.bookCreate());

		assertThat(seen).containsExactly("ann", "eve");
		assertThat(this.events).containsExactly("write", "write", "write");
	}

	@Test
	void typedEntityHookDeclaresItsTypeAndShowsIt() {
		EntityHook hook = Hooks.forEntity(Book.class, (mutation, next) -> next.mutate(mutation));

		assertThat(hook.entityType()).isEqualTo(Book.class);
		assertThat(hook).hasToString("forEntity(Book, HooksUnitTests lambda)");
	}

	@Test
	void helpersSayWhatTheirHooksAreWhenPrinted() {
		Hook requireName = new RequireName();

		assertThat(Hooks.on(requireName, Op.CREATE)).hasToString("on(CREATE, requireName)");
		assertThat(Hooks.on(requireName, Op.CREATE, Op.UPDATE_ONE)).hasToString("on(CREATE|UPDATE_ONE, requireName)");
		assertThat(Hooks.unless(requireName, Op.DELETE)).hasToString("unless(DELETE, requireName)");
		assertThat(Hooks.when(requireName, Condition.hasFields("name", "email")))
			.hasToString("when(hasFields(name, email), requireName)");
		assertThat(Hooks.when(requireName, Condition.and(Condition.not(Condition.hasOp(Op.DELETE)),
				Condition.hasClearedFields("email"))))
			.hasToString("when(and(not(hasOp(DELETE)), hasClearedFields(email)), requireName)");
		assertThat(Hooks.forEntity(Book.class, requireName)).hasToString("forEntity(Book, requireName)");
		assertThat(Hooks.forEntity(Book.class, requireName, requireName))
			.hasToString("forEntity(Book, requireName, requireName)");
		assertThat(Hooks.on(Hooks.forEntity(Book.class, requireName), Op.CREATE))
			.hasToString("on(CREATE, forEntity(Book, requireName))");
		assertThat(Hooks.chain(requireName, Hooks.on(requireName, Op.CREATE)))
			.hasToString("chain(requireName, on(CREATE, requireName))");
		assertThat(Hooks.reject(Op.DELETE)).hasToString("reject(DELETE)");
		assertThat(Hooks.fixedError(new IOException("read-only"))).hasToString("fixedError(IOException)");
	}

	@Test
	void helpersDescribeTheHooksAndConditionsTheyWrapOnlyWhenPrinted() {
		AtomicInteger descriptions = new AtomicInteger();
		Hook audit = new RequireName() {

			@Override
			public String toString() {
				descriptions.incrementAndGet();
				return "audit";
			}

		};
		Condition named = new Condition() {

			@Override
			public boolean test(Mutation<?> mutation) {
				return true;
			}

			@Override
			public String toString() {
				descriptions.incrementAndGet();
				return "named";
			}

		};
		TypedHook<Book> typed = new TypedHook<>() {

			@Override
			public Object mutate(Mutation<Book> mutation, Mutator next) throws Exception {
				return next.mutate(mutation);
			}

			@Override
			public String toString() {
				descriptions.incrementAndGet();
				return "typed";
			}

		};

		Hook global = Hooks.chain(Hooks.when(Hooks.on(audit, Op.CREATE), Condition.or(named, Condition.not(named))),
				Hooks.unless(audit, Op.DELETE));
		Hook scoped = Hooks.chain(Hooks.on(Hooks.forEntity(Book.class, typed), Op.CREATE),
				Hooks.forEntity(Book.class, audit));

		assertThat(descriptions).hasValue(0);
		assertThat(global).hasToString("chain(when(or(named, not(named)), on(CREATE, audit)), unless(DELETE, audit))");
		assertThat(scoped).hasToString("chain(on(CREATE, forEntity(Book, typed)), forEntity(Book, audit))");
		assertThat(descriptions).hasValue(6);
	}

	@Test
	void onUnlessAndWhenTellTheirGuardItsConditionAndTheHookTheyGuard() {
		Hook requireName = new RequireName();

		Hook guarded = Hooks.when(Hooks.unless(requireName, Op.DELETE, Op.DELETE_ONE), Condition.hasFields("name"));

		assertThat(guarded).isInstanceOfSatisfying(GuardedHook.class, when -> {
			assertThat(when.guard()).isEqualTo("when");
			assertThat(when.condition()).isEqualTo("hasFields(name)");
			assertThat(when.guarded()).isInstanceOfSatisfying(GuardedHook.class, unless -> {
				assertThat(unless.guard()).isEqualTo("unless");
				assertThat(unless.condition()).isEqualTo("DELETE|DELETE_ONE");
				assertThat(unless.guarded()).isSameAs(requireName);
			});
		});
	}

	@Test
	void aGuardedEntityHookRunsForItsTypeAsAGuardAroundTheHookItScopes() {
		Hook typed = new RequireName();
		EntityHook scoped = (EntityHook) Hooks.on(Hooks.forEntity(Book.class, typed), Op.CREATE);

		assertThat(scoped.forType(Book.class)).isInstanceOfSatisfying(GuardedHook.class, on -> {
			assertThat(on.guard()).isEqualTo("on");
			assertThat(on.condition()).isEqualTo("CREATE");
			assertThat(on.guarded()).isSameAs(typed);
			assertThat(on).hasToString("on(CREATE, forEntity(Book, requireName))");
		});
	}

	@Test
	void aLambdaIsShownByTheClassThatDeclaredItWithoutItsAddress() {
		assertThat(Hooks.on(next -> next, Op.CREATE)).hasToString("on(CREATE, HooksUnitTests lambda)");
	}

	@Test
	void typedEntityHookCanReplaceTheResult() throws Exception {
		EntityHook hook = Hooks.forEntity(Book.class, (mutation, next) -> {
			next.mutate(mutation);
			return mutation.entity().title();
		});

		assertThat(run(hook, TestModels.bookCreate())).isEqualTo("Dune");
	}

	@Test
	void forEntityRefusesNullArguments() {
		assertThatNullPointerException()
			.isThrownBy(() -> Hooks.forEntity(null, (mutation, next) -> next.mutate(mutation)))
			.withMessage("entity type must not be null");
		assertThatNullPointerException().isThrownBy(() -> Hooks.forEntity(Person.class, (TypedHook<Person>) null))
			.withMessage("hook must not be null");
		assertThatNullPointerException().isThrownBy(() -> Hooks.forEntity(null, recording("hook")))
			.withMessage("entity type must not be null");
	}

	@Test
	void forEntityScopesAChainOfHooksToOneType() throws Exception {
		EntityHook hook = Hooks.forEntity(Book.class, recording("first"), recording("second"));

		run(hook, TestModels.bookCreate());
		assertThat(this.events).containsExactly("first", "second", "write");

		this.events.clear();
		run(hook, TestModels.personMutation(Op.CREATE));
		assertThat(this.events).containsExactly("write");
		assertThat(hook.entityType()).isEqualTo(Book.class);
	}

	@Test
	void forEntityOfASupertypeRunsForSubtypes() throws Exception {
		EntityHook hook = Hooks.forEntity(Person.class, recording("hook"));

		run(hook, TestModels.employeeCreate());

		assertThat(this.events).containsExactly("hook", "write");
	}

	@Test
	void chainRunsItsHooksInOrderAroundNext() throws Exception {
		Hook chain = Hooks.chain(enterExit("f"), enterExit("g"), enterExit("h"));

		run(chain, TestModels.personMutation(Op.CREATE));

		assertThat(this.events).containsExactly("f enter", "g enter", "h enter", "write", "h exit", "g exit",
				"f exit");
	}

	@Test
	void chainOfNoHooksIsNext() {
		assertThat(Hooks.chain().apply(this.write)).isSameAs(this.write);
	}

	@Test
	void chainIsNotChangedByLaterChangesToTheArgumentArray() throws Exception {
		Hook[] hooks = { recording("original") };
		Hook chain = Hooks.chain(hooks);

		hooks[0] = recording("replacement");
		run(chain, TestModels.personMutation(Op.CREATE));

		assertThat(this.events).containsExactly("original", "write");
	}

	@Test
	void chainRefusesNullElementsWithAClearMessage() {
		assertThatNullPointerException().isThrownBy(() -> Hooks.chain(recording("hook"), null))
			.withMessage("hook at index 1 is null");
		assertThatNullPointerException().isThrownBy(() -> Hooks.chain((Hook[]) null))
			.withMessage("hooks must not be null");
		assertThatNullPointerException().isThrownBy(() -> Hooks.forEntity(Person.class, recording("hook"), null))
			.withMessage("hook at index 1 is null");
	}

	@Test
	void onOfAnEntityHookStaysScopedToItsEntity() throws Exception {
		Hook hook = Hooks.on(Hooks.forEntity(Book.class, recording("hook")), Op.CREATE);

		assertThat(hook).isInstanceOfSatisfying(EntityHook.class,
				scoped -> assertThat(scoped.entityType()).isEqualTo(Book.class));
		run(hook, TestModels.personMutation(Op.CREATE));
		assertThat(this.events).containsExactly("write");
		run(hook, TestModels.bookCreate());
		assertThat(this.events).containsExactly("write", "hook", "write");
	}

	@Test
	void unlessAndWhenOfAnEntityHookStayScopedToItsEntity() throws Exception {
		EntityHook books = Hooks.forEntity(Book.class, recording("hook"));
		Hook unless = Hooks.unless(books, Op.DELETE);
		Hook when = Hooks.when(books, mutation -> true);

		assertThat(unless).isInstanceOf(EntityHook.class);
		assertThat(when).isInstanceOf(EntityHook.class);
		run(unless, TestModels.personMutation(Op.CREATE));
		run(when, TestModels.personMutation(Op.CREATE));
		assertThat(this.events).containsExactly("write", "write");
	}

	@Test
	void aWrappedEntityHookRunsTheWrappingForItsTypeWithoutTheTypeCheck() throws Exception {
		EntityHook hook = (EntityHook) Hooks.on(Hooks.forEntity(Person.class, recording("hook")), Op.CREATE);

		Hook forPeople = hook.forType(Person.class);
		forPeople.apply(this.write).mutate(TestModels.personMutation(Op.CREATE));
		forPeople.apply(this.write).mutate(TestModels.personMutation(Op.DELETE));

		assertThat(forPeople).isNotInstanceOf(EntityHook.class);
		assertThat(this.events).containsExactly("hook", "write", "write");
	}

	@Test
	void chainOfEntityHooksOfOneTypeIsScopedToIt() throws Exception {
		Hook chain = Hooks.chain(Hooks.forEntity(Book.class, recording("first")),
				Hooks.forEntity(Book.class, recording("second")));

		assertThat(chain).isInstanceOfSatisfying(EntityHook.class,
				scoped -> assertThat(scoped.entityType()).isEqualTo(Book.class));
		run(chain, TestModels.bookCreate());
		run(chain, TestModels.personMutation(Op.CREATE));
		assertThat(this.events).containsExactly("first", "second", "write", "write");
	}

	@Test
	void chainOfEntityHooksOfDifferentTypesIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Hooks.chain(Hooks.forEntity(Book.class, recording("books")),
					Hooks.forEntity(Person.class, recording("people"))))
			.withMessageStartingWith("Hooks.chain cannot mix hooks of different scopes (Book, Person)");
	}

	@Test
	void chainOfAGlobalAndAnEntityHookIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Hooks.chain(recording("global"), Hooks.forEntity(Book.class, recording("books"))))
			.withMessageStartingWith("Hooks.chain cannot mix hooks of different scopes (global, Book)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Hooks.chain(Hooks.forEntity(Book.class, recording("books")), recording("global")))
			.withMessageStartingWith("Hooks.chain cannot mix hooks of different scopes (Book, global)");
	}

	@Test
	void helpersNameAHookThatReturnsNullFromApply() {
		Hook forgetful = next -> null;

		assertThatIllegalStateException()
			.isThrownBy(() -> Hooks.when(forgetful, mutation -> true).apply(this.write))
			.withMessageContaining(HooksUnitTests.class.getName() + " (lambda) returned null from apply(next)");
		assertThatIllegalStateException()
			.isThrownBy(() -> Hooks.forEntity(Person.class, forgetful).apply(this.write))
			.withMessageContaining(HooksUnitTests.class.getName() + " (lambda) returned null from apply(next)");
	}

	/** A hook with a name of its own, as a user's hook class would print. */
	private static class RequireName implements Hook {

		@Override
		public Mutator apply(Mutator next) {
			return next;
		}

		@Override
		public String toString() {
			return "requireName";
		}

	}

	private Object run(Hook hook, Mutation<?> mutation) throws Exception {
		return hook.apply(this.write).mutate(mutation);
	}

	private Hook recording(String name) {
		return next -> mutation -> {
			this.events.add(name);
			return next.mutate(mutation);
		};
	}

	private Hook enterExit(String name) {
		return next -> mutation -> {
			this.events.add(name + " enter");
			Object result = next.mutate(mutation);
			this.events.add(name + " exit");
			return result;
		};
	}

}
