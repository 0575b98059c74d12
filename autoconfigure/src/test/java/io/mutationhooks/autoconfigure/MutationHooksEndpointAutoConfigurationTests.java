package io.mutationhooks.autoconfigure;

import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import io.mutationhooks.Condition;
import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Hooks;
import io.mutationhooks.Op;
import io.mutationhooks.actuator.HookChains;
import io.mutationhooks.actuator.MutationHooksEndpoint;
import io.mutationhooks.actuator.MutationHooksEndpoint.ConditionDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.EntityDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.HookDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.MutationHooksDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.QueryDescriptor;
import io.mutationhooks.actuator.MutationHooksEndpoint.ReferenceDescriptor;
import io.mutationhooks.actuator.MutationHooksWebEndpointExtension;
import io.mutationhooks.actuator.S3Details;
import io.mutationhooks.effects.EffectStatus;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.User;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The endpoint follows Boot's exposure and access rules, needs neither the S3 sync nor durable effects (and shows
 * them when they are there), stays out of an application without actuator, and backs off to the user's own.
 */
class MutationHooksEndpointAutoConfigurationTests {

	private static final String EXPOSED = "management.endpoints.web.exposure.include=mutationhooks";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(S3SyncAutoConfigurationTests.WITH_SPRING_CLOUD_AWS_S3)
		.withConfiguration(AutoConfigurations.of(MutationHooksEndpointAutoConfiguration.class))
		.withUserConfiguration(S3SyncAutoConfigurationTests.TestEntities.class)
		.withPropertyValues("spring.datasource.generate-unique-name=true", "spring.cloud.aws.region.static=us-east-1",
				"spring.cloud.aws.credentials.access-key=test", "spring.cloud.aws.credentials.secret-key=test",
				"mutation-hooks.s3.buckets.avatars.name=real-avatars");

	/** The same application with the hooks starter alone: no S3 classes. */
	private final ApplicationContextRunner withoutS3 = this.contextRunner
		.withClassLoader(new FilteredClassLoader("software.amazon.awssdk.services.s3", "io.awspring.cloud.s3"));

	@Test
	void onceExposedOverHttpTheEndpointAndItsWebExtensionAreThere() {
		this.contextRunner.withPropertyValues(EXPOSED)
			.run(context -> assertThat(context).hasSingleBean(MutationHooksEndpoint.class)
				.hasSingleBean(MutationHooksWebEndpointExtension.class)
				.hasSingleBean(S3Details.class));
	}

	@Test
	void untilExposedThereIsNoEndpoint() {
		this.contextRunner.run(context -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(MutationHooksEndpoint.class)
			.doesNotHaveBean(MutationHooksWebEndpointExtension.class)
			.doesNotHaveBean(S3Details.class));
	}

	@Test
	void accessNoneTakesTheExposedEndpointAway() {
		this.contextRunner.withPropertyValues(EXPOSED, "management.endpoint.mutationhooks.access=NONE")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MutationHooksEndpoint.class));
	}

	@Test
	void withoutActuatorTheApplicationStartsWithoutTheEndpoint() {
		this.contextRunner.withPropertyValues(EXPOSED)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MutationHooksEndpoint.class));
	}

	@Test
	void withMutationHooksSwitchedOffThereIsNoEndpoint() {
		this.contextRunner.withPropertyValues(EXPOSED, "mutation-hooks.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MutationHooksEndpoint.class));
	}

	@Test
	void theUsersOwnEndpointWins() {
		this.contextRunner.withPropertyValues(EXPOSED).withUserConfiguration(OwnEndpoint.class).run(context -> {
			assertThat(context).hasSingleBean(MutationHooksEndpoint.class);
			assertThat(context.getBean(MutationHooksEndpoint.class)).isSameAs(context.getBean("ownEndpoint"));
		});
	}

	@Test
	void eachEntityShowsItsChainInRunningOrderItsUnknownRowQueriesAndItsS3References() {
		this.contextRunner.withPropertyValues(EXPOSED).withUserConfiguration(ChainHooks.class).run(context -> {
			MutationHooksDescriptor described = context.getBean(MutationHooksEndpoint.class).mutationHooks();

			EntityDescriptor user = described.entities().get(User.class.getName());
			assertThat(user.name()).isEqualTo("User");
			String lambda = "MutationHooksEndpointAutoConfigurationTests$ChainHooks lambda";
			String lambdaType = ChainHooks.class.getName() + " lambda";
			assertThat(user.hooks()).containsExactly(
					new HookDescriptor("audit", lambdaType, lambda, 5, "global", null, List.of()),
					new HookDescriptor("lastGlobal", lambdaType, "unless(DELETE|DELETE_ONE, " + lambda + ")", null,
							"global", null, List.of(new ConditionDescriptor("unless", "DELETE|DELETE_ONE"))),
					new HookDescriptor("requireName", lambdaType,
							"forEntity(User, when(hasFields(name), on(CREATE, " + lambda + ")))", null, "entity",
							User.class.getName(), List.of(new ConditionDescriptor("when", "hasFields(name)"),
									new ConditionDescriptor("on", "CREATE"))));
			assertThat(user.unknownRowsQueries()).contains(
					new QueryDescriptor("UserRepository.updateEmailByName(String, String)", "UPDATE"),
					new QueryDescriptor("UserRepository.insertByQuery(String, String)", "CREATE"));
			assertThat(user.s3References()).isEmpty();

			EntityDescriptor member = described.entities().get(Member.class.getName());
			assertThat(member.hooks()).extracting(HookDescriptor::name)
				.containsExactly("audit", "lastGlobal", "s3SyncHook");
			assertThat(member.hooks().get(2).description()).isEqualTo("S3SyncHook(Member.avatarUrl -> avatars)");
			assertThat(member.hooks().get(2).type()).isEqualTo("io.mutationhooks.s3.S3SyncHook");
			assertThat(member.s3References()).containsExactly(
					new ReferenceDescriptor("avatarUrl", "avatars", "real-avatars", "", true, true, null));

			assertThat(described.effects().totals()).containsEntry(EffectStatus.PARKED, 0L)
				.containsEntry(EffectStatus.PENDING, 0L);
			assertThat(described.effects().byEffect()).isEmpty();
			assertThat(described.sweeps()).as("no bucket is swept").isNull();
		});
	}

	@Test
	void withoutTheS3SyncOnTheClassPathTheEndpointShowsHooksAndEffects() {
		this.withoutS3.withPropertyValues(EXPOSED, "mutation-hooks.s3.enabled=false").run(context -> {
			assertThat(context).hasNotFailed().hasSingleBean(MutationHooksEndpoint.class).doesNotHaveBean(S3Details.class);
			MutationHooksEndpoint endpoint = context.getBean(MutationHooksEndpoint.class);
			MutationHooksDescriptor described = endpoint.mutationHooks();

			assertThat(described.entities().get(Member.class.getName()).s3References()).isEmpty();
			assertThat(described.entities().get(Member.class.getName()).hooks()).isEmpty();
			assertThat(described.effects()).isNotNull();
			assertThat(described.sweeps()).isNull();
			assertThatExceptionOfType(NoSuchElementException.class)
				.isThrownBy(() -> endpoint.run("sweeps", "avatars", null))
				.withMessage("The S3 sync is not on the class path, so no bucket is configured");
		});
	}

	@Test
	void withoutDurableEffectsTheBacklogIsLeftOut() {
		this.withoutS3.withPropertyValues(EXPOSED, "mutation-hooks.s3.enabled=false", "mutation-hooks.effects.enabled=false")
			.run(context -> {
				MutationHooksEndpoint endpoint = context.getBean(MutationHooksEndpoint.class);

				assertThat(endpoint.mutationHooks().effects()).isNull();
				assertThatExceptionOfType(NoSuchElementException.class)
					.isThrownBy(() -> endpoint.effects("effects", "parked", null, null))
					.withMessageStartingWith("Durable effects are off");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ChainHooks {

		@Bean
		@Order(5)
		Hook audit() {
			return next -> next::mutate;
		}

		@Bean
		Hook requireName() {
			return Hooks.forEntity(User.class,
					Hooks.when(Hooks.on(next -> next::mutate, Op.CREATE), Condition.hasFields("name")));
		}

		@Bean
		Hook lastGlobal() {
			return Hooks.unless(next -> next::mutate, Op.DELETE, Op.DELETE_ONE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		MutationHooksEndpoint ownEndpoint(HookRegistry registry,
				ListableBeanFactory beanFactory) {
			return new MutationHooksEndpoint(new HookChains(registry, List::of, beanFactory, null), null,
					null, Clock.systemUTC());
		}

	}

}
