package io.mutationhooks.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerConfigurationSupport;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.Task;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

import io.mutationhooks.effects.EffectHandler;
import io.mutationhooks.effects.EffectListener;
import io.mutationhooks.effects.scheduler.EffectHandlers;
import io.mutationhooks.effects.scheduler.EffectRunner;
import io.mutationhooks.effects.scheduler.RetryPolicy;
import io.mutationhooks.effects.scheduler.SchedulerEffects;
import io.mutationhooks.effects.scheduler.StoredEffectSerializer;
import io.mutationhooks.transaction.MissedBeforeCommits;

/**
 * Durable effects on db-scheduler: the {@link io.mutationhooks.effects.Effects} bean, the task that runs every
 * {@link EffectHandler} bean, and the tables they need.
 */
@AutoConfiguration(after = MutationHooksAutoConfiguration.class,
		afterName = "com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration")
@ConditionalOnClass({ Scheduler.class, JsonMapper.class })
@ConditionalOnBean({ Scheduler.class, DataSource.class })
@ConditionalOnBooleanProperty(name = MutationHooksProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = EffectsProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EffectsProperties.class, MutationHooksProperties.class })
public final class EffectsAutoConfiguration {

	/** The name of the customizer db-scheduler's starter declares when the application declares none. */
	private static final String STARTERS_CUSTOMIZER = "noopCustomizer";

	@Bean
	@ConditionalOnMissingBean
	EffectHandlers effectHandlers(ObjectProvider<EffectHandler<?>> handlers) {
		return new EffectHandlers(() -> handlers.orderedStream().toList());
	}

	/** Checks the handlers once every singleton exists: a duplicate name fails start-up, not the first effect. */
	@Bean
	SmartInitializingSingleton effectHandlersCheck(EffectHandlers handlers) {
		return handlers::byName;
	}

	@Bean
	@ConditionalOnMissingBean
	EffectRunner effectRunner(EffectHandlers handlers, ObjectProvider<JsonMapper> json, EffectsProperties properties,
			ObjectProvider<EffectListener> listeners) {
		EffectsProperties.Retry retry = properties.getRetry();
		EffectRunner runner = new EffectRunner(handlers, payloadJson(json),
				retryPolicy(retry.getInitialBackoff(), retry.getMaxBackoff(), retry.getMaxAttempts()));
		runner.setListener(EffectListener.all(listeners.orderedStream().toList()));
		return runner;
	}

	@Bean
	Task<?> mutationHooksEffectTask(EffectRunner runner) {
		return runner.task();
	}

	@Bean
	@ConditionalOnMissingBean
	SchedulerEffects mutationHooksEffects(ObjectProvider<Scheduler> scheduler, EffectHandlers handlers,
			ObjectProvider<JsonMapper> json, ObjectProvider<PlatformTransactionManager> transactionManager,
			DataSource dataSource, ListableBeanFactory beanFactory, ObjectProvider<DbSchedulerProperties> schedulers) {
		Supplier<TransactionOperations> newTransaction = () -> {
			TransactionTemplate template = new TransactionTemplate(transactionManager.getObject());
			template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
			return template;
		};
		return new SchedulerEffects(scheduler::getObject, () -> scheduler.getObject().triggerCheckForDueExecutions(),
				handlers, payloadJson(json), newTransaction,
				SingletonSupplier.of(() -> schedulersDataSource(beanFactory, dataSource)),
				schedulers.getIfAvailable(DbSchedulerProperties::new).getTableName());
	}

	/**
	 * The DataSource db-scheduler stores its tasks in, effects among them, as its Spring Boot starter chooses it: the
	 * application's {@link DbSchedulerCustomizer}'s, else the application's DataSource. A write's transaction must be
	 * on it for its effects to commit with it. The starter's own customizer (declared only when the application
	 * declares none) gives none, and is not asked: it is made by the scheduler's configuration, whose tasks, the
	 * effects' among them, need this.
	 */
	static DataSource schedulersDataSource(ListableBeanFactory beanFactory, DataSource dataSource) {
		List<String> applications = new ArrayList<>(
				List.of(beanFactory.getBeanNamesForType(DbSchedulerCustomizer.class, false, false)));
		applications.remove(STARTERS_CUSTOMIZER);
		return applications.size() == 1
				? beanFactory.getBean(applications.get(0), DbSchedulerCustomizer.class).dataSource().orElse(dataSource)
				: dataSource;
	}

	/** Lets effects first requested while a transaction commits be stored with it. */
	@Bean
	static BeanPostProcessor mutationHooksEffectsMissedBeforeCommits() {
		return MissedBeforeCommits.installer();
	}

	@Bean
	@ConditionalOnMissingBean(name = "effectsSchemaInitializer")
	SchemaInitializer effectsSchemaInitializer(DataSource dataSource, ListableBeanFactory beanFactory,
			MutationHooksProperties properties, ObjectProvider<DbSchedulerProperties> schedulers) {
		return SchemaInitializer.effects(schedulersDataSource(beanFactory, dataSource),
				properties.getJdbc().getInitializeSchema(),
				schedulers.getIfAvailable(DbSchedulerProperties::new).getTableName());
	}

	/**
	 * Makes db-scheduler write effects as JSON, whatever serializer the application gave it for its own tasks: the
	 * scheduler has one serializer, taken from the {@link DbSchedulerCustomizer} bean, so that bean is wrapped.
	 */
	@Bean
	static BeanPostProcessor storedEffectSerializerInstaller() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return bean instanceof DbSchedulerCustomizer customizer && !(bean instanceof EffectsAwareCustomizer)
						? new EffectsAwareCustomizer(customizer) : bean;
			}
		};
	}

	private static JsonMapper payloadJson(ObjectProvider<JsonMapper> json) {
		return json.getIfAvailable(() -> JsonMapper.builder().build());
	}

	/** A retry policy from its properties, a wrong value failing start-up with Boot's report naming the property. */
	static RetryPolicy retryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
		String prefix = EffectsProperties.PREFIX + ".retry.";
		PropertyChecks.requirePositive(prefix + "initial-backoff", initialBackoff);
		PropertyChecks.requirePositive(prefix + "max-backoff", maxBackoff);
		PropertyChecks.requireNotShorter(prefix + "max-backoff", maxBackoff, prefix + "initial-backoff",
				initialBackoff);
		return new RetryPolicy(initialBackoff, maxBackoff,
				PropertyChecks.atLeastOne(prefix + "max-attempts", maxAttempts));
	}

	/** The application's customizer, with effects written as JSON. */
	static final class EffectsAwareCustomizer implements DbSchedulerCustomizer {

		private final DbSchedulerCustomizer delegate;

		private final Serializer serializer;

		EffectsAwareCustomizer(DbSchedulerCustomizer delegate) {
			this.delegate = delegate;
			this.serializer = new StoredEffectSerializer(
					delegate.serializer().orElse(DbSchedulerConfigurationSupport.SPRING_JAVA_SERIALIZER));
		}

		@Override
		public Optional<Serializer> serializer() {
			return Optional.of(this.serializer);
		}

		@Override
		public Optional<SchedulerName> schedulerName() {
			return this.delegate.schedulerName();
		}

		@Override
		public Optional<ExecutorService> executorService() {
			return this.delegate.executorService();
		}

		@Override
		public Optional<ExecutorService> dueExecutor() {
			return this.delegate.dueExecutor();
		}

		@Override
		public Optional<ScheduledExecutorService> housekeeperExecutor() {
			return this.delegate.housekeeperExecutor();
		}

		@Override
		public Optional<JdbcCustomization> jdbcCustomization() {
			return this.delegate.jdbcCustomization();
		}

		@Override
		public Optional<DataSource> dataSource() {
			return this.delegate.dataSource();
		}

	}

}
