package io.mutationhooks;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.mutationhooks.core.DefaultMutation;
import io.mutationhooks.core.TestModels;
import io.mutationhooks.core.TestModels.CountingOldState;
import io.mutationhooks.core.TestModels.Person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The predicates of {@link Condition}, Ent's {@code hook.Condition} helpers.
 */
class ConditionUnitTests {

	private static final Condition TRUE = mutation -> true;

	private static final Condition FALSE = mutation -> false;

	@Test
	void hasOpHoldsOnlyForTheGivenOps() {
		Condition deletes = Condition.hasOp(Op.DELETE_ONE, Op.DELETE);

		assertThat(deletes.test(TestModels.personMutation(Op.DELETE_ONE))).isTrue();
		assertThat(deletes.test(TestModels.personMutation(Op.DELETE))).isTrue();
		assertThat(deletes.test(TestModels.personMutation(Op.CREATE))).isFalse();
		assertThat(deletes.test(TestModels.personMutation(Op.UPDATE_ONE))).isFalse();
		assertThat(deletes.test(TestModels.personMutation(Op.UPDATE))).isFalse();
	}

	@Test
	void hasOpIsNotChangedByLaterChangesToTheArgumentArray() {
		Op[] ops = { Op.CREATE };
		Condition creates = Condition.hasOp(ops);

		ops[0] = Op.DELETE;

		assertThat(creates.test(TestModels.personMutation(Op.CREATE))).isTrue();
		assertThat(creates.test(TestModels.personMutation(Op.DELETE))).isFalse();
	}

	@Test
	void hasFieldsHoldsWhenEveryFieldIsSetOnCreate() {
		DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, "ann", null),
				TestModels.context(CountingOldState.of()));

		assertThat(Condition.hasFields("name").test(create)).isTrue();
		assertThat(Condition.hasFields("name", "email").test(create)).isFalse();
		assertThat(Condition.hasFields("id").test(create)).isFalse();
	}

	@Test
	void hasFieldsHoldsWhenEveryFieldIsChangedOnUpdate() {
		DefaultMutation<Person> update = DefaultMutation.updateOne(TestModels.PERSON,
				new Person(1L, "ann", "new@example.com"),
				TestModels.context(CountingOldState.of(new Person(1L, "ann", "old@example.com"))));

		assertThat(Condition.hasFields("email").test(update)).isTrue();
		assertThat(Condition.hasFields("name").test(update)).isFalse();
		assertThat(Condition.hasFields("email", "name").test(update)).isFalse();
	}

	@Test
	void hasFieldsNeverHoldsForDeletes() {
		assertThat(Condition.hasFields("name").test(TestModels.personMutation(Op.DELETE_ONE))).isFalse();
	}

	@Test
	void hasClearedFieldsHoldsWhenEveryFieldIsSetToNullOnUpdate() {
		DefaultMutation<Person> update = DefaultMutation.updateOne(TestModels.PERSON, new Person(1L, null, null),
				TestModels.context(CountingOldState.of(new Person(1L, "ann", null))));

		assertThat(Condition.hasClearedFields("name").test(update)).isTrue();
		assertThat(Condition.hasClearedFields("email").test(update)).isFalse();
		assertThat(Condition.hasClearedFields("name", "email").test(update)).isFalse();
	}

	@Test
	void hasClearedFieldsNeverHoldsForCreates() {
		DefaultMutation<Person> create = DefaultMutation.create(TestModels.PERSON, new Person(null, null, null),
				TestModels.context(CountingOldState.of()));

		assertThat(Condition.hasClearedFields("name").test(create)).isFalse();
	}

	@Test
	void andHoldsOnlyWhenAllHold() {
		Mutation<?> mutation = TestModels.personMutation(Op.CREATE);

		assertThat(Condition.and(TRUE).test(mutation)).isTrue();
		assertThat(Condition.and(TRUE, TRUE, TRUE).test(mutation)).isTrue();
		assertThat(Condition.and(TRUE, FALSE, TRUE).test(mutation)).isFalse();
		assertThat(Condition.and(FALSE).test(mutation)).isFalse();
	}

	@Test
	void andStopsAtTheFirstConditionThatFails() {
		AtomicInteger tested = new AtomicInteger();
		Condition counting = mutation -> tested.incrementAndGet() > 0;

		Condition.and(FALSE, counting).test(TestModels.personMutation(Op.CREATE));

		assertThat(tested).hasValue(0);
	}

	@Test
	void orHoldsWhenAnyHolds() {
		Mutation<?> mutation = TestModels.personMutation(Op.CREATE);

		assertThat(Condition.or(FALSE, FALSE, TRUE).test(mutation)).isTrue();
		assertThat(Condition.or(TRUE).test(mutation)).isTrue();
		assertThat(Condition.or(FALSE, FALSE).test(mutation)).isFalse();
	}

	@Test
	void orStopsAtTheFirstConditionThatHolds() {
		AtomicInteger tested = new AtomicInteger();
		Condition counting = mutation -> tested.incrementAndGet() > 0;

		Condition.or(TRUE, counting).test(TestModels.personMutation(Op.CREATE));

		assertThat(tested).hasValue(0);
	}

	@Test
	void notNegates() {
		Mutation<?> mutation = TestModels.personMutation(Op.CREATE);

		assertThat(Condition.not(TRUE).test(mutation)).isFalse();
		assertThat(Condition.not(FALSE).test(mutation)).isTrue();
		assertThat(Condition.not(Condition.hasOp(Op.CREATE)).test(TestModels.personMutation(Op.DELETE))).isTrue();
	}

	@Test
	void conditionsCombine() {
		Condition renamedOnUpdate = Condition.and(Condition.hasOp(Op.UPDATE_ONE),
				Condition.or(Condition.hasFields("name"), Condition.hasClearedFields("name")));

		assertThat(renamedOnUpdate.test(TestModels.personMutation(Op.UPDATE_ONE))).isTrue();
		assertThat(renamedOnUpdate.test(TestModels.personMutation(Op.CREATE))).isFalse();
	}

	@Test
	void emptyOrNullArgumentsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(Condition::hasOp).withMessage("ops must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> Condition.hasOp((Op[]) null))
			.withMessage("ops must not be empty");
		assertThatIllegalArgumentException().isThrownBy(Condition::hasFields).withMessage("fields must not be empty");
		assertThatIllegalArgumentException().isThrownBy(Condition::hasClearedFields)
			.withMessage("fields must not be empty");
	}

	@Test
	void nullElementsAreRefused() {
		assertThatNullPointerException().isThrownBy(() -> Condition.hasOp(Op.CREATE, null))
			.withMessage("ops must not contain null");
		assertThatNullPointerException().isThrownBy(() -> Condition.hasFields("name", null))
			.withMessage("fields must not contain null");
		assertThatNullPointerException().isThrownBy(() -> Condition.hasClearedFields((String) null))
			.withMessage("fields must not contain null");
	}

	@Test
	void nullConditionsAreRefused() {
		assertThatNullPointerException().isThrownBy(() -> Condition.and(null))
			.withMessage("condition must not be null");
		assertThatNullPointerException().isThrownBy(() -> Condition.and(TRUE, TRUE, null))
			.withMessage("condition must not be null");
		assertThatNullPointerException().isThrownBy(() -> Condition.or(null, TRUE))
			.withMessage("condition must not be null");
		assertThatNullPointerException().isThrownBy(() -> Condition.or(TRUE, (Condition) null))
			.withMessage("condition must not be null");
		assertThatNullPointerException().isThrownBy(() -> Condition.not(null))
			.withMessage("condition must not be null");
	}

}
