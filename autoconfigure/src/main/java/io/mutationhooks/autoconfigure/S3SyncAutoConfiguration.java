package io.mutationhooks.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.effects.Effects;
import io.mutationhooks.s3.DurableS3Cleanup;
import io.mutationhooks.s3.JdbcStillReferenced;
import io.mutationhooks.s3.ObjectDeletion;
import io.mutationhooks.s3.ObjectExistence;
import io.mutationhooks.s3.RetryingS3Cleanup;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3CleanupQueue;
import io.mutationhooks.s3.S3DeleteEffect;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.S3SyncHook;
import io.mutationhooks.s3.StillReferenced;

/**
 * Keeps S3 objects referred to by entity fields in step with the rows: verified before the write, cleaned up after
 * commit. Uses Spring Cloud AWS's {@link S3Client} bean, bounding every request it sends in time without changing the
 * bean.
 */
@AutoConfiguration(after = { MutationHooksAutoConfiguration.class, EffectsAutoConfiguration.class },
		afterName = "io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration")
@ConditionalOnClass(S3Client.class)
@ConditionalOnBean({ S3Client.class, MutationRunner.class })
@ConditionalOnBooleanProperty(name = S3SyncProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(S3SyncProperties.class)
public final class S3SyncAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	S3References s3References(S3SyncProperties properties, RelationalMappingContext mappingContext) {
		List<S3Bucket> buckets = properties.getBuckets().entrySet().stream().map(entry -> {
			S3SyncProperties.Bucket bucket = entry.getValue();
			String name = bucket.getName() == null || bucket.getName().isBlank() ? entry.getKey() : bucket.getName();
			return new S3Bucket(entry.getKey(), name, bucket.getPrefix(), bucket.isVerifyOnWrite(), bucket.isCleanup());
		}).toList();
		List<S3References.Declared> declared = properties.getReferences()
			.stream()
			.map(reference -> new S3References.Declared(reference.getEntity(), reference.getField(),
					reference.getBucket()))
			.toList();
		S3References references = new S3References(buckets, declared);
		references.resolveAll(mappingContext);
		return references;
	}

	/** Checks, once every repository has added its entity type, the references of types that came late. */
	@Bean
	SmartInitializingSingleton s3ReferencesCheck(S3References references, RelationalMappingContext mappingContext) {
		return () -> references.resolveAll(mappingContext);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ObjectExistence s3ObjectExistence(S3Client s3, S3SyncProperties properties) {
		S3SyncProperties.Verify verify = properties.getVerify();
		return new ObjectExistence(s3, verify.getParallelism(),
				timeouts("verify", verify.getAttemptTimeout(), verify.getCallTimeout()));
	}

	@Bean
	@ConditionalOnMissingBean
	StillReferenced s3StillReferenced(S3References references, NamedParameterJdbcOperations jdbc,
			RelationalMappingContext mappingContext, JdbcDialect dialect) {
		return new JdbcStillReferenced(references, jdbc, mappingContext, dialect);
	}

	/**
	 * The cleanup queue {@code mutation-hooks.s3.cleanup.queue} names: by default deletes recorded as durable effects
	 * with the write; in-memory only when asked for, since it loses deletes at a crash.
	 */
	@Bean
	@ConditionalOnMissingBean(S3CleanupQueue.class)
	S3CleanupQueue s3CleanupQueue(S3Client s3, StillReferenced stillReferenced, S3SyncProperties properties,
			ObjectProvider<Effects> effects) {
		S3SyncProperties.Cleanup cleanup = properties.getCleanup();
		if (cleanup.getQueue() == S3SyncProperties.Queue.IN_MEMORY) {
			return new RetryingS3Cleanup(s3, stillReferenced, cleanup.getMaxAttempts(), cleanup.getInitialBackoff(),
					cleanup.getMaxBackoff(), timeouts("cleanup", cleanup.getAttemptTimeout(), cleanup.getCallTimeout()));
		}
		Effects durable = effects.getIfAvailable();
		if (durable == null) {
			throw new IllegalStateException(S3SyncProperties.PREFIX + ".cleanup.queue is durable, but durable effects "
					+ "are off: put db-scheduler-spring-boot-4-starter on the classpath and leave "
					+ EffectsProperties.PREFIX + ".enabled true, or set " + S3SyncProperties.PREFIX
					+ ".cleanup.queue=in-memory to lose deletes at a crash");
		}
		return new DurableS3Cleanup(durable);
	}

	/** The durable effect that deletes objects; without durable effects it is never requested. */
	@Bean
	@ConditionalOnMissingBean
	S3DeleteEffect s3DeleteEffect(S3Client s3, S3References references, StillReferenced stillReferenced,
			S3SyncProperties properties) {
		S3SyncProperties.Cleanup cleanup = properties.getCleanup();
		return new S3DeleteEffect(references, stillReferenced,
				new ObjectDeletion(s3, timeouts("cleanup", cleanup.getAttemptTimeout(), cleanup.getCallTimeout())));
	}

	@Bean
	@ConditionalOnMissingBean
	S3SyncHook s3SyncHook(S3References references, ObjectExistence existence, S3CleanupQueue cleanup) {
		return new S3SyncHook(references, existence, cleanup);
	}

	/**
	 * Overrides that bound each request of a group ({@code verify} or {@code cleanup}) in time, per attempt and with
	 * the AWS SDK's retries, checked here so that a wrong value fails start-up naming its property.
	 */
	private static AwsRequestOverrideConfiguration timeouts(String group, Duration attempt, Duration call) {
		String attemptProperty = S3SyncProperties.PREFIX + "." + group + ".attempt-timeout";
		String callProperty = S3SyncProperties.PREFIX + "." + group + ".call-timeout";
		requirePositive(attemptProperty, attempt);
		requirePositive(callProperty, call);
		if (call.compareTo(attempt) < 0) {
			throw new IllegalStateException(callProperty + " (" + call + ") must not be shorter than " + attemptProperty
					+ " (" + attempt + ")");
		}
		return AwsRequestOverrideConfiguration.builder().apiCallAttemptTimeout(attempt).apiCallTimeout(call).build();
	}

	private static void requirePositive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalStateException(property + " must be positive, not " + value);
		}
	}

}
