package io.mutationhooks.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

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
import org.springframework.jdbc.support.JdbcAccessor;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.effects.Effects;
import io.mutationhooks.s3.DeletionClaims;
import io.mutationhooks.s3.DurableS3Cleanup;
import io.mutationhooks.s3.JdbcKeyLeases;
import io.mutationhooks.s3.JdbcStillReferenced;
import io.mutationhooks.s3.KeyLeases;
import io.mutationhooks.s3.ObjectDeletion;
import io.mutationhooks.s3.ObjectExistence;
import io.mutationhooks.s3.RetryingS3Cleanup;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3CleanupQueue;
import io.mutationhooks.s3.S3DeleteEffect;
import io.mutationhooks.s3.S3QuarantineEffect;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.S3SyncHook;
import io.mutationhooks.s3.StillReferenced;
import io.mutationhooks.s3.sweep.DanglingReferences;
import io.mutationhooks.s3.sweep.SweepListener;

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
@EnableConfigurationProperties({ S3SyncProperties.class, MutationHooksProperties.class })
public final class S3SyncAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	S3References s3References(S3SyncProperties properties, RelationalMappingContext mappingContext) {
		S3References references = new S3References(S3SyncPropertyChecks.buckets(properties),
				S3SyncPropertyChecks.declaredReferences(properties), mappingContext);
		references.resolveAll(mappingContext);
		return references;
	}

	/**
	 * Checks, once every repository has added its entity type, the references of types that came late; a type with
	 * references seen only after start-up is then logged at WARN.
	 */
	@Bean
	SmartInitializingSingleton s3ReferencesCheck(S3References references, RelationalMappingContext mappingContext) {
		return () -> references.resolveAllAtStartUp(mappingContext);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ObjectExistence s3ObjectExistence(S3Client s3, S3SyncProperties properties) {
		S3SyncProperties.Verify verify = properties.getVerify();
		return new ObjectExistence(s3, S3SyncPropertyChecks.parallelism(properties),
				S3SyncPropertyChecks.timeouts("verify", verify.getAttemptTimeout(), verify.getCallTimeout()));
	}

	@Bean
	@ConditionalOnMissingBean
	StillReferenced s3StillReferenced(S3References references, NamedParameterJdbcOperations jdbc,
			RelationalMappingContext mappingContext, JdbcDialect dialect) {
		return new JdbcStillReferenced(references, jdbc, mappingContext, dialect);
	}

	/** The report of rows whose object is missing: read-only, run when asked. */
	@Bean
	@ConditionalOnMissingBean
	DanglingReferences s3DanglingReferences(S3References references, NamedParameterJdbcOperations jdbc,
			RelationalMappingContext mappingContext, JdbcDialect dialect, ObjectExistence existence, S3Client s3,
			ObjectProvider<SweepListener> listeners) {
		DanglingReferences dangling = new DanglingReferences(references, jdbc, mappingContext, dialect, existence, s3);
		dangling.setListener(SweepListener.all(listeners.orderedStream().toList()));
		return dangling;
	}

	@Bean
	@ConditionalOnMissingBean(name = "s3SchemaInitializer")
	SchemaInitializer s3SchemaInitializer(DataSource dataSource, MutationHooksProperties properties) {
		// The DataSource bean, not the JdbcOperations' one: those depend on database initialization, this included.
		return new SchemaInitializer(dataSource, properties.getJdbc().getInitializeSchema(),
				SchemaInitializer.S3_LEASES);
	}

	/**
	 * The leases of writes and the claims of the cleanup, in the application's database: one protocol, so a bean of
	 * either type replaces both.
	 */
	@Bean
	@ConditionalOnMissingBean({ KeyLeases.class, DeletionClaims.class })
	JdbcKeyLeases s3KeyLeases(NamedParameterJdbcOperations jdbc, JdbcDialect dialect, StillReferenced stillReferenced,
			S3SyncProperties properties) {
		Duration leaseTimeout = S3SyncPropertyChecks.leaseTimeout(properties);
		return new JdbcKeyLeases(dataSourceOf(jdbc), dialect, stillReferenced, leaseTimeout);
	}

	private static DataSource dataSourceOf(NamedParameterJdbcOperations jdbc) {
		if (!(jdbc.getJdbcOperations() instanceof JdbcAccessor accessor) || accessor.getDataSource() == null) {
			throw new IllegalStateException("The S3 sync needs the DataSource of the NamedParameterJdbcOperations bean "
					+ "for its leases: declare your own KeyLeases and DeletionClaims beans, and create its tables");
		}
		return accessor.getDataSource();
	}

	/**
	 * The cleanup queue {@code mutation-hooks.s3.cleanup.queue} names: by default deletes recorded as durable effects
	 * with the write; in-memory only when asked for, since it loses deletes at a crash.
	 */
	@Bean
	@ConditionalOnMissingBean(S3CleanupQueue.class)
	S3CleanupQueue s3CleanupQueue(S3Client s3, DeletionClaims claims, S3SyncProperties properties,
			ObjectProvider<Effects> effects) {
		S3SyncProperties.Cleanup cleanup = properties.getCleanup();
		if (cleanup.getQueue() == S3SyncProperties.Queue.IN_MEMORY) {
			return new RetryingS3Cleanup(s3, claims, S3SyncPropertyChecks.maxAttempts(properties),
					S3SyncPropertyChecks.initialBackoff(properties), S3SyncPropertyChecks.maxBackoff(properties),
					S3SyncPropertyChecks.timeouts("cleanup", cleanup.getAttemptTimeout(), cleanup.getCallTimeout()));
		}
		return new DurableS3Cleanup(S3SyncPropertyChecks.durableEffects(effects.getIfAvailable()));
	}

	/** The durable effect that deletes objects; without durable effects it is never requested. */
	@Bean
	@ConditionalOnMissingBean
	S3DeleteEffect s3DeleteEffect(S3Client s3, S3References references, DeletionClaims claims,
			S3SyncProperties properties) {
		S3SyncProperties.Cleanup cleanup = properties.getCleanup();
		return new S3DeleteEffect(references, claims,
				new ObjectDeletion(s3, S3SyncPropertyChecks.timeouts("cleanup", cleanup.getAttemptTimeout(),
						cleanup.getCallTimeout())));
	}

	/**
	 * The durable effect that moves objects under a quarantine prefix, for the orphan sweep in quarantine mode;
	 * without durable effects it is never requested.
	 */
	@Bean
	@ConditionalOnMissingBean
	S3QuarantineEffect s3QuarantineEffect(S3Client s3, S3References references, DeletionClaims claims,
			S3SyncProperties properties) {
		S3SyncProperties.Cleanup cleanup = properties.getCleanup();
		AwsRequestOverrideConfiguration timeouts = S3SyncPropertyChecks.timeouts("cleanup",
				cleanup.getAttemptTimeout(), cleanup.getCallTimeout());
		return new S3QuarantineEffect(s3, references, claims, new ObjectDeletion(s3, timeouts), timeouts);
	}

	@Bean
	@ConditionalOnMissingBean
	S3SyncHook s3SyncHook(S3References references, ObjectExistence existence, S3CleanupQueue cleanup,
			KeyLeases leases) {
		return new S3SyncHook(references, existence, cleanup, leases);
	}

}
