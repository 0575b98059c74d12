package io.mutationhooks;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.mutationhooks.core.TestModels.Person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * A {@link MutationException} names the entity, the operation, the reason and, once known, the hook.
 */
class MutationExceptionUnitTests {

	@Test
	void messageNamesEntityOpAndReason() {
		IOException cause = new IOException("disk full");

		MutationException ex = new MutationException(Person.class, Op.UPDATE_ONE, "name is required", cause);

		assertThat(ex).hasMessage("UPDATE_ONE of Person failed: name is required").hasCause(cause);
		assertThat(ex.getEntityType()).isEqualTo(Person.class);
		assertThat(ex.getOp()).isEqualTo(Op.UPDATE_ONE);
		assertThat(ex.getReason()).isEqualTo("name is required");
	}

	@Test
	void refusalHasNoCause() {
		assertThat(new MutationException(Person.class, Op.DELETE, "not allowed")).hasNoCause();
	}

	@Test
	void entityTypeOpAndReasonAreRequired() {
		assertThatNullPointerException().isThrownBy(() -> new MutationException(null, Op.CREATE, "reason"))
			.withMessage("entityType must not be null");
		assertThatNullPointerException().isThrownBy(() -> new MutationException(Person.class, null, "reason"))
			.withMessage("op must not be null");
		assertThatNullPointerException().isThrownBy(() -> new MutationException(Person.class, Op.CREATE, null))
			.withMessage("reason must not be null");
	}

	@Test
	void aReasonQuotingRawValuesCannotForgeALogLineButIsGivenAsItIs() {
		String reason = "email 'ann@example.com\n12:00:00.000 ERROR forged' is taken";

		MutationException ex = new MutationException(Person.class, Op.CREATE, reason);

		assertThat(ex).hasMessage("CREATE of Person failed: email 'ann@example.com\\u000A12:00:00.000 ERROR forged' "
				+ "is taken");
		assertThat(ex.getReason()).isEqualTo(reason);
	}

	@Test
	void namingTheHookLaterPutsItInTheMessageAndKeepsReasonAndCause() {
		IOException cause = new IOException("disk full");
		MutationException ex = new MutationException(Person.class, Op.CREATE, "name is required", cause);

		assertThat(ex.initHook("requireName")).isSameAs(ex);

		assertThat(ex).hasMessage("CREATE of Person failed in hook 'requireName': name is required").hasCause(cause);
		assertThat(ex.getHook()).isEqualTo("requireName");
		assertThat(ex.getReason()).isEqualTo("name is required");
	}

	@Test
	void aHookIsNamedOnlyOnce() {
		MutationException ex = new MutationException(Person.class, Op.CREATE, "audit", "boom", null);

		assertThatIllegalStateException().isThrownBy(() -> ex.initHook("other"))
			.withMessage("Can't name hook 'other': the exception already names hook 'audit'");
		assertThat(ex).hasMessage("CREATE of Person failed in hook 'audit': boom");
	}

	@Test
	void aMegabyteReasonIsCutInTheMessage() {
		MutationException ex = new MutationException(Person.class, Op.CREATE, "x".repeat(1_000_000));

		assertThat(ex.getMessage()).hasSizeLessThan(3000).endsWith("...(998000 more chars)");
		assertThat(ex.getReason()).hasSize(1_000_000);
	}

}
