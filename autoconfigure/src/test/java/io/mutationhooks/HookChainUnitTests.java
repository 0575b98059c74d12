package io.mutationhooks;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mutationhooks.core.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link HookChain} composes hooks as Ent does: the first hook outermost, the write innermost.
 */
class HookChainUnitTests {

	private final List<String> events = new ArrayList<>();

	private final Mutator write = mutation -> {
		this.events.add("write");
		return mutation.entity();
	};

	@Test
	void firstHookRunsOutermost() throws Exception {
		Mutator chain = HookChain.compose(List.of(recording("f"), recording("g"), recording("h")), this.write);

		chain.mutate(TestModels.personMutation(Op.CREATE));

		assertThat(this.events).containsExactly("f enter", "g enter", "h enter", "write", "h exit", "g exit",
				"f exit");
	}

	@Test
	void hooksAreAppliedFromLastToFirst() {
		List<String> applied = new ArrayList<>();
		Hook f = applying("f", applied);
		Hook g = applying("g", applied);
		Hook h = applying("h", applied);

		HookChain.compose(List.of(f, g, h), this.write);

		assertThat(applied).containsExactly("h", "g", "f");
	}

	@Test
	void composeWithNoHooksReturnsTheLastMutator() {
		assertThat(HookChain.compose(List.of(), this.write)).isSameAs(this.write);
	}

	@Test
	void composedChainReturnsWhatTheOutermostHookReturns() throws Exception {
		Hook replacing = next -> mutation -> {
			next.mutate(mutation);
			return "replaced";
		};

		Object result = HookChain.compose(List.of(replacing, recording("inner")), this.write)
			.mutate(TestModels.personMutation(Op.CREATE));

		assertThat(result).isEqualTo("replaced");
		assertThat(this.events).contains("write");
	}

	@Test
	void hookReturningNullFromApplyIsAnErrorNamingTheHook() {
		assertThatIllegalStateException()
			.isThrownBy(() -> HookChain.compose(List.of(recording("f"), new ForgetfulHook()), this.write))
			.withMessageContaining("hook " + ForgetfulHook.class.getName() + " returned null from apply(next)")
			.withMessageContaining("next.mutate(m)");
	}

	@Test
	void lambdaReturningNullFromApplyIsNamedByItsDeclaringClass() {
		Hook forgetful = next -> null;

		assertThatIllegalStateException().isThrownBy(() -> HookChain.wrap(forgetful, this.write))
			.withMessageStartingWith("hook " + HookChainUnitTests.class.getName() + " (lambda) returned null");
	}

	@Test
	void composeRefusesANullLastMutator() {
		assertThatNullPointerException().isThrownBy(() -> HookChain.compose(List.of(), null))
			.withMessage("last mutator must not be null");
	}

	private Hook recording(String name) {
		return next -> mutation -> {
			this.events.add(name + " enter");
			Object result = next.mutate(mutation);
			this.events.add(name + " exit");
			return result;
		};
	}

	private static Hook applying(String name, List<String> applied) {
		return next -> {
			applied.add(name);
			return next;
		};
	}

	static final class ForgetfulHook implements Hook {

		@Override
		public Mutator apply(Mutator next) {
			return null;
		}

	}

}
