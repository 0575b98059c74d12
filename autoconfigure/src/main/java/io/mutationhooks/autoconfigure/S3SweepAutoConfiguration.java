package io.mutationhooks.autoconfigure;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.effects.Effects;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.StillReferenced;
import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepListener;
import io.mutationhooks.s3.sweep.SweepStore;
import io.mutationhooks.s3.sweep.SweptBucket;

/**
 * The orphan sweeper, when a bucket opts in ({@code mutation-hooks.s3.buckets.<name>.sweep.enabled}): the
 * {@link OrphanSweeper} bean, its tables (created with the S3 sync's), and a db-scheduler recurring task per bucket with
 * a schedule.
 */
@AutoConfiguration(after = S3SyncAutoConfiguration.class)
@ConditionalOnClass(S3Client.class)
@ConditionalOnBean(S3References.class)
@Conditional(OnSweptBucketCondition.class)
public final class S3SweepAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(S3SweepAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	SweepStore s3SweepStore(NamedParameterJdbcOperations jdbc, JdbcDialect dialect,
			PlatformTransactionManager transactionManager) {
		return new SweepStore(jdbc, dialect, newTransaction(transactionManager));
	}

	@Bean
	@ConditionalOnMissingBean
	OrphanSweeper s3OrphanSweeper(S3Client s3, StillReferenced stillReferenced, ObjectProvider<Effects> effects,
			SweepStore store, PlatformTransactionManager transactionManager, S3SyncProperties properties,
			ObjectProvider<SweepListener> listeners) {
		List<SweptBucket> buckets = S3SyncPropertyChecks.sweptBuckets(properties);
		if (effects.getIfAvailable() == null) {
			String property = S3SyncProperties.PREFIX + ".buckets." + buckets.get(0).id() + ".sweep.enabled";
			throw new InvalidPropertyException(property, true, "the sweep hands orphans to durable effects, but "
					+ "durable effects are off: db-scheduler is not on the class path or is switched off, or "
					+ EffectsProperties.PREFIX + ".enabled is false",
					"Put db-scheduler-spring-boot-4-starter on the class path and leave " + EffectsProperties.PREFIX
							+ ".enabled true, or set " + property + "=false.");
		}
		for (SweptBucket bucket : buckets) {
			if (bucket.bucket().prefix().isEmpty()) {
				logger.warn("The bucket {} ({}) is swept but has no prefix: every object in it can be swept, those of "
						+ "other applications sharing it too. Set {}.buckets.{}.prefix to where this application's "
						+ "objects are.", bucket.id(), bucket.bucket().name(), S3SyncProperties.PREFIX, bucket.id());
			}
			else if (bucket.quarantinePrefix().startsWith(bucket.bucket().prefix())) {
				logger.warn("The quarantine of bucket {} ({}) is inside its prefix ({}): every sweep lists the "
						+ "quarantined copies and skips them, and a row may refer to one, which a later quarantine of "
						+ "the same key overwrites. Set {}.buckets.{}.sweep.quarantine-prefix outside the prefix, such as "
						+ "lost+found/, unless the application may only write under its prefix.", bucket.id(),
						bucket.quarantinePrefix(), bucket.bucket().prefix(), S3SyncProperties.PREFIX, bucket.id());
			}
		}
		S3SyncProperties.Cleanup cleanup = properties.getCleanup();
		OrphanSweeper sweeper = new OrphanSweeper(s3, S3SyncPropertyChecks.timeouts("cleanup",
				cleanup.getAttemptTimeout(), cleanup.getCallTimeout()), stillReferenced, effects.getObject(), store,
				newTransaction(transactionManager), buckets);
		sweeper.setListener(SweepListener.all(listeners.orderedStream().toList()));
		return sweeper;
	}

	private static TransactionTemplate newTransaction(PlatformTransactionManager transactionManager) {
		TransactionTemplate template = new TransactionTemplate(transactionManager);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		return template;
	}

	/** A db-scheduler recurring task per swept bucket with a cron expression or an interval. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.github.kagkarlsson.scheduler.Scheduler")
	@Import(SweepTaskRegistrar.class)
	static class ScheduledSweeps {

		@Bean
		SweepTasks s3SweepTasks(ObjectProvider<OrphanSweeper> sweeper, S3SyncProperties properties) {
			return new SweepTasks(sweeper::getObject, properties);
		}

	}

}
