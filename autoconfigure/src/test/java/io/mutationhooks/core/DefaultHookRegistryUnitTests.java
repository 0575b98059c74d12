package io.mutationhooks.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Hook;
import io.mutationhooks.HookChain;
import io.mutationhooks.Hooks;
import io.mutationhooks.Mutation;
import io.mutationhooks.Mutator;
import io.mutationhooks.Op;
import io.mutationhooks.core.TestModels.Book;
import io.mutationhooks.core.TestModels.Employee;
import io.mutationhooks.core.TestModels.Person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link DefaultHookRegistry} keeps global hooks ahead of entity-scoped ones, each group in registration order.
 */
class DefaultHookRegistryUnitTests {

	@Test
	void anInnermostHookStaysLastEvenAfterHooksAddedLaterWithUse() {
		Hook first = next -> next;
		Hook later = next -> next;
		Innermost innermost = new Innermost();
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(first, innermost));

		registry.use(Person.class, later);

		List<Hook> hooks = registry.hooksFor(Person.class);
		assertThat(hooks).hasSize(3).startsWith(first).endsWith(innermost);
	}

	/** An entity hook for every type that must run innermost, as the S3 sync's does. */
	private static final class Innermost implements EntityHook, InnermostHook, DescribedForType {

		@Override
		public String describeFor(Class<?> type) {
			return "checks " + type.getSimpleName();
		}

		@Override
		public Class<?> entityType() {
			return Object.class;
		}

		@Override
		public io.mutationhooks.Mutator apply(io.mutationhooks.Mutator next) {
			return next;
		}

	}

	private final List<String> events = new ArrayList<>();

	@Test
	void aHookScopedWithForEntityRunsWithoutItsTypeCheckForItsOwnType() throws Exception {
		Hook names = recording("names");
		EntityHook scoped = Hooks.forEntity(Person.class, names);
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(scoped));

		assertThat(registry.hooksFor(Person.class)).containsExactly(scoped);
		assertThat(registry.chainFor(Person.class)).containsExactly(names);
		assertThat(registry.chainFor(Book.class)).isEmpty();
		run(registry, TestModels.personMutation(Op.CREATE));
		assertThat(this.events).containsExactly("names", "write");
	}

	@Test
	void aTypePreparesOnceAPreparingHookIsAmongItsHooksEvenOneAddedLater() {
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(next -> next));
		assertThat(registry.prepares(Person.class)).isFalse();

		registry.use(new Preparing());

		assertThat(registry.prepares(Person.class)).isTrue();
	}

	private static final class Preparing implements Hook, PreparingHook {

		@Override
		public Mutator apply(Mutator next) {
			return next;
		}

		@Override
		public void prepareCreates(Class<?> type, List<?> entities, Map<Object, Object> attributes) {
		}

	}

	@Test
	void anEntityHookWhoseForTypeReturnsNullIsAClearError() {
		EntityHook broken = new EntityHook() {

			@Override
			public Class<?> entityType() {
				return Person.class;
			}

			@Override
			public io.mutationhooks.Mutator apply(io.mutationhooks.Mutator next) {
				return next;
			}

			@Override
			public Hook forType(Class<?> type) {
				return null;
			}

			@Override
			public String toString() {
				return "broken";
			}

		};
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(broken));

		assertThatIllegalStateException().isThrownBy(() -> registry.chainFor(Person.class))
			.withMessageContaining("entity hook broken returned null from forType(" + Person.class.getName() + ")");
	}

	@Test
	void newRegistryHasNoHooks() {
		DefaultHookRegistry registry = new DefaultHookRegistry();

		assertThat(registry.hooksFor(Person.class)).isEmpty();
		assertThat(registry.hasHooks(Person.class)).isFalse();
		assertThat(registry.globalHooks()).isEmpty();
		assertThat(registry.entityHooks()).isEmpty();
	}

	@Test
	void globalHooksRunBeforeEntityHooksWhateverTheRegistrationOrder() throws Exception {
		EntityHook scoped = Hooks.forEntity(Person.class, recording("scoped"));
		Hook global = recording("global");
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(scoped, global));

		assertThat(registry.hooksFor(Person.class)).containsExactly(global, scoped);
		run(registry, TestModels.personMutation(Op.CREATE));
		assertThat(this.events).containsExactly("global", "scoped", "write");
	}

	@Test
	void globalHookAddedLaterStillRunsBeforeEntityHooks() {
		DefaultHookRegistry registry = new DefaultHookRegistry();
		registry.use(Person.class, recording("scoped"));
		Hook global = recording("global");

		registry.use(global);

		assertThat(registry.hooksFor(Person.class)).hasSize(2).first().isSameAs(global);
	}

	@Test
	void useAppendsGlobalHooksInOrder() {
		Hook first = recording("first");
		Hook second = recording("second");
		Hook third = recording("third");
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(first));

		registry.use(second, third);

		assertThat(registry.globalHooks()).containsExactly(first, second, third);
		assertThat(registry.hooksFor(Book.class)).containsExactly(first, second, third);
	}

	@Test
	void useWithATypeScopesTheHooksToThatTypeAndItsSubtypes() throws Exception {
		DefaultHookRegistry registry = new DefaultHookRegistry();

		registry.use(Person.class, recording("first"), recording("second"));

		assertThat(registry.globalHooks()).isEmpty();
		assertThat(registry.entityHooks()).hasSize(2)
			.allSatisfy(hook -> assertThat(hook.entityType()).isEqualTo(Person.class));
		assertThat(registry.hooksFor(Person.class)).hasSize(2);
		assertThat(registry.hooksFor(Employee.class)).hasSize(2);
		assertThat(registry.hooksFor(Book.class)).isEmpty();
		run(registry, TestModels.employeeCreate());
		assertThat(this.events).containsExactly("first", "second", "write");
	}

	@Test
	void entityHooksRunInRegistrationOrder() throws Exception {
		DefaultHookRegistry registry = new DefaultHookRegistry();
		registry.use(Hooks.forEntity(Person.class, recording("first")));
		registry.use(Person.class, recording("second"));
		registry.use(Hooks.forEntity(Person.class, recording("third")));

		run(registry, TestModels.personMutation(Op.CREATE));

		assertThat(this.events).containsExactly("first", "second", "third", "write");
	}

	@Test
	void entityHookPassedToUseJoinsTheScopedGroup() {
		EntityHook scoped = Hooks.forEntity(Book.class, recording("scoped"));
		DefaultHookRegistry registry = new DefaultHookRegistry();

		registry.use(scoped);

		assertThat(registry.globalHooks()).isEmpty();
		assertThat(registry.entityHooks()).containsExactly(scoped);
		assertThat(registry.hooksFor(Book.class)).containsExactly(scoped);
		assertThat(registry.hooksFor(Person.class)).isEmpty();
	}

	@Test
	void aWrappedEntityHookRunsOnlyForItsEntityAfterTheGlobalHooks() throws Exception {
		Hook books = Hooks.on(Hooks.forEntity(Book.class, recording("books")), Op.CREATE);
		Hook global = recording("global");
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(books, global));

		assertThat(registry.entityHooks()).containsExactly((EntityHook) books);
		assertThat(registry.hooksFor(Person.class)).containsExactly(global);
		assertThat(registry.hooksFor(Book.class)).containsExactly(global, books);
		run(registry, TestModels.bookCreate());
		assertThat(this.events).containsExactly("global", "books", "write");
	}

	@Test
	void aChainOfEntityHooksRunsWithTheEntityHooksOfItsTypeOnly() throws Exception {
		Hook chain = Hooks.chain(Hooks.forEntity(Person.class, recording("first")),
				Hooks.forEntity(Person.class, recording("second")));
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(chain, recording("global")));

		assertThat(registry.hooksFor(Book.class)).hasSize(1);
		run(registry, TestModels.employeeCreate());
		assertThat(this.events).containsExactly("global", "first", "second", "write");
	}

	@Test
	void listingsNameEachHookByItsBeanAndSayWhatItIs() {
		Hook audit = recording("audit");
		Hook requireName = Hooks.on(Hooks.forEntity(Person.class, recording("names")), Op.CREATE);
		Hook unnamed = Hooks.reject(Op.DELETE);
		Map<Hook, String> beans = Map.of(audit, "audit", requireName, "requireName");
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(audit, requireName, unnamed), beans::get);

		assertThat(registry.hooksFor(Person.class)).containsExactly(audit, unnamed, requireName)
			.hasToString("[audit: DefaultHookRegistryUnitTests lambda, reject(DELETE), "
					+ "requireName: on(CREATE, forEntity(Person, DefaultHookRegistryUnitTests lambda))]");
		String globalHooks = "[audit: DefaultHookRegistryUnitTests lambda, reject(DELETE)]";
		assertThat(registry.hooksFor(Book.class)).hasToString(globalHooks);
		assertThat(registry.globalHooks()).hasToString(globalHooks);
	}

	@Test
	void hooksAreDescribedOnlyWhenAListingIsPrintedAndOnceForIt() throws Exception {
		AtomicInteger descriptions = new AtomicInteger();
		Hook audit = new Hook() {

			@Override
			public Mutator apply(Mutator next) {
				return next;
			}

			@Override
			public String toString() {
				descriptions.incrementAndGet();
				return "AuditHook";
			}

		};
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(audit), hook -> "audit");

		run(registry, TestModels.personMutation(Op.CREATE));
		assertThat(registry.hooksFor(Person.class)).containsExactly(audit);
		assertThat(registry.globalHooks()).containsExactly(audit);
		assertThat(descriptions).hasValue(0);

		assertThat(registry.hooksFor(Person.class)).hasToString("[audit: AuditHook]");
		assertThat(registry.hooksFor(Person.class)).hasToString("[audit: AuditHook]");
		assertThat(descriptions).hasValue(1);
	}

	@Test
	void aHookThatDescribesItselfPerTypeIsListedWithWhatItDoesForTheType() {
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(new Innermost()), hook -> "s3SyncHook");

		assertThat(registry.hooksFor(Person.class)).hasToString("[s3SyncHook: checks Person]");
		assertThat(registry.hooksFor(Book.class)).hasToString("[s3SyncHook: checks Book]");
	}

	@Test
	void entityHookOfASupertypeIsResolvedForSubtypes() {
		EntityHook scoped = Hooks.forEntity(Person.class, recording("scoped"));
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(scoped));

		assertThat(registry.hooksFor(Employee.class)).containsExactly(scoped);
		assertThat(registry.hooksFor(Object.class)).isEmpty();
	}

	@Test
	void hooksForIsResolvedOnceAndKept() {
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(recording("global")));

		List<Hook> first = registry.hooksFor(Person.class);

		assertThat(registry.hooksFor(Person.class)).isSameAs(first);
	}

	@Test
	void hooksForIsResolvedAgainAfterUse() {
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(recording("global")));
		List<Hook> before = registry.hooksFor(Person.class);
		Hook added = recording("added");

		registry.use(Person.class, added);

		assertThat(registry.hooksFor(Person.class)).isNotSameAs(before).hasSize(2);
		assertThat(before).hasSize(1);
	}

	@Test
	void resolvedHooksAreUnmodifiable() {
		DefaultHookRegistry registry = new DefaultHookRegistry(List.of(recording("global")));
		List<Hook> hooks = registry.hooksFor(Person.class);

		assertThat(hooks).isUnmodifiable();
		assertThat(registry.globalHooks()).isUnmodifiable();
		assertThat(registry.entityHooks()).isUnmodifiable();
	}

	@Test
	void hasHooksTellsWhetherAnyHookRunsForTheType() {
		DefaultHookRegistry registry = new DefaultHookRegistry();
		registry.use(Book.class, recording("scoped"));

		assertThat(registry.hasHooks(Book.class)).isTrue();
		assertThat(registry.hasHooks(Person.class)).isFalse();

		registry.use(recording("global"));

		assertThat(registry.hasHooks(Person.class)).isTrue();
	}

	@Test
	void useRefusesNullHooksWithAClearMessage() {
		DefaultHookRegistry registry = new DefaultHookRegistry();

		assertThatIllegalArgumentException().isThrownBy(() -> registry.use((Hook[]) null))
			.withMessage("hooks must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.use((Hook) null))
			.withMessage("hook at index 0 is null; pass Hook instances only");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.use(recording("hook"), null))
			.withMessage("hook at index 1 is null; pass Hook instances only");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.use(Person.class, (Hook[]) null))
			.withMessage("hooks must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.use(Person.class, recording("hook"), null))
			.withMessage("hook at index 1 is null; pass Hook instances only");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DefaultHookRegistry(Arrays.asList(recording("hook"), null)))
			.withMessage("hook at index 1 is null; pass Hook instances only");
	}

	@Test
	void refusedUseAddsNothing() {
		DefaultHookRegistry registry = new DefaultHookRegistry();

		assertThatIllegalArgumentException().isThrownBy(() -> registry.use(recording("hook"), null));
		assertThatIllegalArgumentException().isThrownBy(() -> registry.use(Person.class, recording("hook"), null));

		assertThat(registry.hasHooks(Person.class)).isFalse();
	}

	private void run(DefaultHookRegistry registry, Mutation<?> mutation) throws Exception {
		HookChain.compose(registry.chainFor(mutation.type()), reached -> {
			this.events.add("write");
			return reached.entity();
		}).mutate(mutation);
	}

	private Hook recording(String name) {
		return next -> mutation -> {
			this.events.add(name);
			return next.mutate(mutation);
		};
	}

}
