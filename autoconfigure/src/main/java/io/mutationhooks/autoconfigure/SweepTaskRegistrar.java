package io.mutationhooks.autoconfigure;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Declares a db-scheduler task bean per swept bucket with a schedule, made by the {@link SweepTasks} bean: db-scheduler
 * takes its tasks from the beans of type {@code Task} when it starts, and how many there are depends on the
 * properties. Under Spring AOT the set is fixed at build time, as the auto-configuration's other decisions.
 */
class SweepTaskRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		OnSweptBucketCondition.sweptBuckets(this.environment).forEach((bucket, scheduled) -> {
			if (scheduled) {
				RootBeanDefinition task = new RootBeanDefinition();
				task.setFactoryBeanName("s3SweepTasks");
				task.setFactoryMethodName("task");
				task.getConstructorArgumentValues().addIndexedArgumentValue(0, bucket);
				registry.registerBeanDefinition(SweepTasks.taskName(bucket), task);
			}
		});
	}

}
