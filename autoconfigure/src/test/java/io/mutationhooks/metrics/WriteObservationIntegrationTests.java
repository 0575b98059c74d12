package io.mutationhooks.metrics;

import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.Hooks;
import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every hooked write of the test application is one observation named {@code mutation.hooks.write}, whose
 * low-cardinality keys say the entity, the operation, the outcome and the refusing hook, and whose high-cardinality
 * keys hold the id; a {@code saveAll} is one observation of its batch.
 */
@SpringBootTest(classes = { TestApplication.class, WriteObservationIntegrationTests.Observed.class })
class WriteObservationIntegrationTests {

	@Autowired
	TestObservationRegistry observations;

	@Autowired
	UserRepository users;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	SwitchableHook switchableHook;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void clean() {
		this.jdbc.update("DELETE FROM app_user");
		this.switchableHook.reset();
		this.observations.clear();
	}

	@Test
	void aCreateIsObservedDoneWithTheIdTheDatabaseGave() {
		User saved = this.users.save(new User("ann", "ann@example.com"));

		assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("mutation.hooks.write", 1)
			.hasObservationWithNameEqualTo("mutation.hooks.write")
			.that()
			.hasContextualNameEqualTo("create User")
			.hasLowCardinalityKeyValue("mutation.entity", "User")
			.hasLowCardinalityKeyValue("mutation.operation", "create")
			.hasLowCardinalityKeyValue("mutation.outcome", "done")
			.hasLowCardinalityKeyValue("mutation.hook", "none")
			.hasLowCardinalityKeyValue("mutation.batch", "false")
			.hasHighCardinalityKeyValue("mutation.id", String.valueOf(saved.getId()))
			.doesNotHaveLowCardinalityKeyValueWithKey("mutation.id")
			.doesNotHaveError()
			.hasBeenStopped();
	}

	@Test
	void anUpdateIsObservedWithItsId() {
		User saved = this.users.save(new User("ann", "ann@example.com"));
		this.observations.clear();
		saved.setName("anne");

		this.users.save(saved);

		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("mutation.operation", "update_one")
			.hasLowCardinalityKeyValue("mutation.outcome", "done")
			.hasHighCardinalityKeyValue("mutation.id", String.valueOf(saved.getId()));
	}

	@Test
	void aDeleteByIdIsObservedWithItsIdAndABulkDeleteWithItsCount() {
		User ann = this.users.save(new User("ann", "ann@example.com"));
		User bob = this.users.save(new User("bob", "bob@example.com"));
		User cid = this.users.save(new User("cid", "cid@example.com"));
		this.observations.clear();

		this.users.deleteById(ann.getId());
		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("mutation.operation", "delete_one")
			.hasLowCardinalityKeyValue("mutation.outcome", "done")
			.hasHighCardinalityKeyValue("mutation.id", String.valueOf(ann.getId()));
		this.observations.clear();

		this.users.deleteAllById(List.of(bob.getId(), cid.getId()));
		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("mutation.operation", "delete")
			.hasHighCardinalityKeyValue("mutation.count", "2")
			.doesNotHaveHighCardinalityKeyValueWithKey("mutation.id");
	}

	@Test
	void aWriteAHookRefusesIsObservedRefusedNamingTheHook() {
		this.switchableHook.set(Hooks.on(Hooks.fixedError(new IllegalArgumentException("no users today")), Op.CREATE));

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> this.users.save(new User("ann", "ann@example.com")));

		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("mutation.outcome", "refused")
			.hasLowCardinalityKeyValue("mutation.hook", "switchableHook")
			.hasError()
			.assertThatError()
			.isInstanceOf(MutationException.class);
	}

	@Test
	void aWriteThatFailsInTheDatabaseIsObservedFailedWithTheDatabasesException() {
		User ann = this.users.save(new User("ann", "ann@example.com"));
		this.observations.clear();
		User twin = new User("ann's twin", null);
		twin.setId(ann.getId());

		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.template.insert(twin));

		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("mutation.operation", "create")
			.hasLowCardinalityKeyValue("mutation.outcome", "failed")
			.hasLowCardinalityKeyValue("mutation.hook", "none")
			.hasError()
			.assertThatError()
			.isInstanceOf(DuplicateKeyException.class);
	}

	@Test
	void aSaveAllIsOneObservationOfItsBatch() {
		this.users.saveAll(List.of(new User("ann", null), new User("bob", null), new User("cid", null)));

		assertThat(this.observations).hasSingleObservationThat()
			.hasNameEqualTo("mutation.hooks.write")
			.hasLowCardinalityKeyValue("mutation.entity", "User")
			.hasLowCardinalityKeyValue("mutation.operation", "create")
			.hasLowCardinalityKeyValue("mutation.batch", "true")
			.hasLowCardinalityKeyValue("mutation.outcome", "done")
			.hasHighCardinalityKeyValue("mutation.count", "3")
			.doesNotHaveHighCardinalityKeyValueWithKey("mutation.id");
	}

	@Test
	void aSaveAllOfNewAndExistingEntitiesIsMixed() {
		User existing = this.users.save(new User("ann", null));
		this.observations.clear();

		this.users.saveAll(List.of(existing, new User("bob", null)));

		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("mutation.operation", "mixed")
			.hasLowCardinalityKeyValue("mutation.batch", "true");
	}

	@Test
	void aWriteNestedInAHookIsAChildOfTheWriteAroundIt() {
		this.switchableHook.set(next -> mutation -> {
			Object written = next.mutate(mutation);
			if (mutation.op() == Op.CREATE && "ann".equals(((User) mutation.entity()).getName())) {
				this.users.save(new User("ann's shadow", null));
			}
			return written;
		});

		this.users.save(new User("ann", null));

		assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("mutation.hooks.write", 2);
		assertThat(this.observations).hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
			.filteredOn(context -> context.getParentObservation() != null)
			.singleElement()
			.satisfies(nested -> {
				assertThat(((MutationObservationContext) nested).mutation().entity())
					.extracting(user -> ((User) user).getName())
					.isEqualTo("ann's shadow");
				assertThat(nested.getParentObservation().getContextView().getName()).isEqualTo("mutation.hooks.write");
			}));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Observed {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
