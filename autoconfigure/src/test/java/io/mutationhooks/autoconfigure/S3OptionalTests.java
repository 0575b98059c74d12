package io.mutationhooks.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.exception.SdkClientException;

import io.mutationhooks.autoconfigure.notes.Note;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.s3.S3SyncHook;
import io.mutationhooks.testapp.Document;
import io.mutationhooks.testapp.Member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * S3 is optional: with the hooks starter alone (no AWS S3 client on the class path) an application starts with no
 * AWS setting at all, and one whose entities refer to S3 objects fails start-up saying which starter to use, or, with
 * the S3 starter's client switched off, to switch it on.
 */
class S3OptionalTests {

	/** Every auto-configuration the S3 starter brings, with the classes only Spring Cloud AWS S3 brings hidden. */
	private final ApplicationContextRunner hooksStarter = new ApplicationContextRunner()
		.withConfiguration(S3SyncAutoConfigurationTests.WITH_SPRING_CLOUD_AWS_S3)
		.withClassLoader(new FilteredClassLoader("software.amazon.awssdk.services.s3", "io.awspring.cloud.s3"))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@Test
	void anApplicationUsingHooksOnlyStartsWithNoAwsSetting() {
		this.hooksStarter.withUserConfiguration(NotesApplication.class).run(context -> {
			assertThat(context).hasNotFailed().hasSingleBean(HookRegistry.class).doesNotHaveBean(S3SyncHook.class);
			assertThat(context.getEnvironment().getProperty("spring.cloud.aws.region.static")).isNull();
		});
	}

	@Test
	void referencesToS3ObjectsWithoutAnS3ClientFailStartUpWithAReportSayingWhichStarterToUse() {
		this.hooksStarter.withUserConfiguration(S3SyncAutoConfigurationTests.TestEntities.class)
			.withPropertyValues("mutation-hooks.s3.references[0].entity=" + Document.class.getName(),
					"mutation-hooks.s3.references[0].field=attachment",
					"mutation-hooks.s3.references[0].bucket=docs")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(FailureReport.of(context.getStartupFailure())).isEqualTo("""
						Description:
						Entity fields refer to S3 objects, but there is no S3Client bean, so the S3 sync is off and \
						their objects would be neither checked on write nor deleted:
						\t%s.avatarUrl (@S3Reference(bucket = "avatars"))
						\t%s.attachment (mutation-hooks.s3.references[0])
						Action:
						Depend on io.mutationhooks:mutation-hooks-s3-spring-boot-starter in place of \
						mutation-hooks-spring-boot-starter (it brings Spring Cloud AWS's S3Client) and set \
						spring.cloud.aws.region.static, or declare an S3Client bean of your own; or set \
						mutation-hooks.s3.enabled=false to leave these fields unchecked on purpose.""".formatted(
						Member.class.getName(), Document.class.getName()));
			});
	}

	@Test
	void referencesToS3ObjectsWithTheS3StartersClientSwitchedOffFailStartUpWithAReportSayingToSwitchItOn() {
		new ApplicationContextRunner().withConfiguration(S3SyncAutoConfigurationTests.WITH_SPRING_CLOUD_AWS_S3)
			.withUserConfiguration(S3SyncAutoConfigurationTests.TestEntities.class)
			.withPropertyValues("spring.datasource.generate-unique-name=true", "spring.cloud.aws.s3.enabled=false",
					"spring.cloud.aws.region.static=us-east-1")
			.run(context -> {
				assertThat(context).hasFailed();
				// The description, listing the fields, is the one without the S3 starter.
				assertThat(FailureReport.of(context.getStartupFailure())).endsWith("""
						Action:
						Spring Cloud AWS's S3 auto-configuration is on the class path but made no S3Client: remove \
						spring.cloud.aws.s3.enabled=false, or the exclusion of \
						io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration, and set an AWS region such as \
						spring.cloud.aws.region.static=eu-west-1, or declare an S3Client bean of your own; or set \
						mutation-hooks.s3.enabled=false to leave these fields unchecked on purpose.""");
			});
	}

	@Test
	void referencesToS3ObjectsStartWithoutAnS3ClientWhenTheSyncIsSwitchedOff() {
		this.hooksStarter.withUserConfiguration(S3SyncAutoConfigurationTests.TestEntities.class)
			.withPropertyValues("mutation-hooks.s3.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().hasSingleBean(HookRegistry.class));
	}

	@Test
	void aMissingRegionOfAnotherAwsClientIsLeftToBootsOwnReport() {
		SdkClientException noRegion = SdkClientException.create("Unable to load region from any of the providers in "
				+ "the chain");
		MissingAwsRegionFailureAnalyzer analyzer = new MissingAwsRegionFailureAnalyzer();

		assertThat(analyzer.analyze(new BeanCreationException(
				"class path resource [io/awspring/cloud/autoconfigure/sqs/SqsAutoConfiguration.class]", "sqsAsyncClient",
				"could not create", noRegion)))
			.as("an SQS client")
			.isNull();
		assertThat(analyzer.analyze(new BeanCreationException(
				"class path resource [io/awspring/cloud/autoconfigure/s3/S3AutoConfiguration.class]", "s3Client",
				"could not create", noRegion)))
			.as("Spring Cloud AWS's S3 client")
			.isNotNull();
		assertThat(analyzer.analyze(new BeanCreationException(
				"class path resource [io/awspring/cloud/autoconfigure/s3/S3CrtAsyncClientAutoConfiguration.class]",
				"s3AsyncClient", "could not create", noRegion)))
			.as("its async client, made first where the CRT is on the class path")
			.isNotNull();
	}

	@Test
	void withTheS3StarterAMissingRegionEndsInAReportNamingThePropertyAndTheOtherStarter() {
		assumeTrue(System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null,
				"no AWS region set outside the test");
		new ApplicationContextRunner().withConfiguration(S3SyncAutoConfigurationTests.WITH_SPRING_CLOUD_AWS_S3)
			.withUserConfiguration(NotesApplication.class)
			.withSystemProperties("aws.disableEc2Metadata=true")
			.withPropertyValues("spring.datasource.generate-unique-name=true",
					"spring.cloud.aws.credentials.access-key=test", "spring.cloud.aws.credentials.secret-key=test")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(FailureReport.of(context.getStartupFailure())).isEqualTo("""
						Description:
						Spring Cloud AWS's S3Client, which the S3 sync uses, needs an AWS region, and none is set (the \
						AWS SDK found none in spring.cloud.aws.region.static, AWS_REGION, aws.region, the AWS profile \
						or the EC2 metadata).
						Action:
						Set spring.cloud.aws.region.static, such as spring.cloud.aws.region.static=eu-west-1. If the \
						application does not use S3, depend on io.mutationhooks:mutation-hooks-spring-boot-starter in \
						place of mutation-hooks-s3-spring-boot-starter: it needs no AWS setting.""");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage(basePackageClasses = Note.class)
	static class NotesApplication {

	}

}
