package io.mutationhooks.aot;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactory;
import org.springframework.data.jdbc.repository.support.JdbcRepositoryFactoryBean;
import org.springframework.data.relational.RelationalManagedTypes;
import org.springframework.javapoet.ClassName;

import io.mutationhooks.jdbc.HookedJdbcAggregateTemplate;
import io.mutationhooks.s3.S3Reference;
import io.mutationhooks.testaggregates.Album;
import io.mutationhooks.testaggregates.Album.Cover;
import io.mutationhooks.testaggregates.Album.Sticker;
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
	void theFieldsOfEveryEntityInTheApplicationsPackagesAreRegisteredForTheS3Sync() throws Exception {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		AutoConfigurationPackages.register(beanFactory, Member.class.getPackageName());

		RuntimeHints hints = hintsOf(beanFactory);

		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Member.class.getDeclaredField("avatarUrl")))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(User.class.getDeclaredFields()[0]))
			.accepts(hints);
	}

	@Test
	void theFieldsOfTheValuesAndChildrenInsideAnAggregateAreRegisteredForTheS3Sync() throws Exception {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		AutoConfigurationPackages.register(beanFactory, Album.class.getPackageName());

		RuntimeHints hints = hintsOf(beanFactory);

		// The embedded cover has no @Table: it is found through the album's field.
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Cover.class.getDeclaredField("image")))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Sticker.class.getDeclaredField("image")))
			.accepts(hints);
	}

	@Test
	void entityScanPackagesTakeThePlaceOfTheAutoConfigurationPackages() throws Exception {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		AutoConfigurationPackages.register(beanFactory, "com.example.nothing.here");
		EntityScanPackages.register(beanFactory, Member.class.getPackageName());

		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Member.class.getDeclaredField("avatarUrl")))
			.accepts(hintsOf(beanFactory));
	}

	@Test
	void findingTheEntitiesCreatesNoBeanAtBuildTime() {
		// Creating Spring Data JDBC's managed types bean at build time resolves resources through the context, and
		// Spring Cloud AWS's S3 protocol resolver then creates the S3 client before its properties are bound.
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		AutoConfigurationPackages.register(beanFactory, Member.class.getPackageName());
		beanFactory.registerBeanDefinition("jdbcManagedTypes",
				BeanDefinitionBuilder.genericBeanDefinition(RelationalManagedTypes.class, () -> {
					throw new AssertionError("the managed types bean was created at build time");
				}).getBeanDefinition());

		assertThat(hintsOf(beanFactory).reflection().typeHints()).isNotEmpty();
		assertThat(beanFactory.getSingletonNames()).doesNotContain("jdbcManagedTypes");
	}

	private static RuntimeHints hintsOf(DefaultListableBeanFactory beanFactory) {
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
		BeanFactoryInitializationAotContribution contribution = new EntityFieldsAotProcessor()
			.processAheadOfTime(beanFactory);
		assertThat(contribution).isNotNull();
		contribution.applyTo(generation, null);
		return generation.getRuntimeHints();
	}

	@Test
	void anApplicationWithoutSpringDataJdbcEntitiesGetsNoContribution() {
		assertThat(new EntityFieldsAotProcessor().processAheadOfTime(new DefaultListableBeanFactory())).isNull();
	}

}
