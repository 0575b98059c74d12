package io.mutationhooks;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Op} tells the kinds of write apart.
 */
class OpUnitTests {

	@Test
	void isMatchesOnlyTheGivenOps() {
		assertThat(Op.CREATE.is(Op.CREATE, Op.DELETE)).isTrue();
		assertThat(Op.DELETE.is(Op.CREATE, Op.DELETE)).isTrue();
		assertThat(Op.UPDATE.is(Op.CREATE, Op.DELETE)).isFalse();
		assertThat(Op.CREATE.is()).isFalse();
	}

	@Test
	void onlyDeleteOneAndDeleteAreDeletes() {
		assertThat(EnumSet.allOf(Op.class)).filteredOn(Op::isDelete).containsExactlyInAnyOrder(Op.DELETE_ONE,
				Op.DELETE);
	}

	@Test
	void onlyUpdateOneAndUpdateAreUpdates() {
		assertThat(EnumSet.allOf(Op.class)).filteredOn(Op::isUpdate).containsExactlyInAnyOrder(Op.UPDATE_ONE,
				Op.UPDATE);
	}

}
