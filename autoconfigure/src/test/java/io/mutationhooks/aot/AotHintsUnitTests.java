package io.mutationhooks.aot;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactory;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactoryBean;
import org.springframework.data.relational.RelationalManagedTypes;
import org.springframework.javapoet.ClassName;

import io.mutationhooks.jdbc.HookedJdbcAggregateTemplate;
import io.mutationhooks.s3.S3Reference;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.User;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints the starter gives Spring AOT for a native image: what it reflects on in Spring Data JDBC and in its own
 * types, and the fields of the application's entities, where the S3 sync looks for references.
 */
class AotHintsUnitTests {

	private static final String AOT_FACTORIES = "META-INF/spring/aot.factories";

	@Test
	void theStarterRegistersItsHintsAndItsEntityProcessorWithSpringAot() {
		SpringFactoriesLoader factories = SpringFactoriesLoader.forResourceLocation(AOT_FACTORIES);

		assertThat(factories.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(MutationHooksRuntimeHints.class);
		assertThat(factories.load(BeanFactoryInitializationAotProcessor.class))
			.hasAtLeastOneElementOfType(EntityFieldsAotProcessor.class);
	}

	@Test
	void theFieldsAndMethodsTheStarterReflectsOnAreRegistered() throws Exception {
		RuntimeHints hints = new RuntimeHints();
		new MutationHooksRuntimeHints().registerHints(hints, getClass().getClassLoader());

		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(JdbcRepositoryFactory.class.getDeclaredField("operations"))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(JdbcRepositoryFactoryBean.class.getDeclaredField("aggregateOperations"))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(JdbcAggregateTemplate.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(HookedJdbcAggregateTemplate.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(S3Reference.class)).accepts(hints);
	}

	@Test
	void theFieldsOfEveryManagedEntityAreRegisteredForTheS3Sync() throws Exception {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("jdbcManagedTypes", RelationalManagedTypes.fromIterable(List.of(Member.class, User.class)));
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());

		BeanFactoryInitializationAotContribution contribution = new EntityFieldsAotProcessor()
			.processAheadOfTime(beanFactory);
		assertThat(contribution).isNotNull();
		contribution.applyTo(generation, null);

		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Member.class.getDeclaredField("avatarUrl")))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(User.class.getDeclaredFields()[0]))
			.accepts(hints);
	}

	@Test
	void anApplicationWithoutSpringDataJdbcEntitiesGetsNoContribution() {
		assertThat(new EntityFieldsAotProcessor().processAheadOfTime(new DefaultListableBeanFactory())).isNull();
	}

}
