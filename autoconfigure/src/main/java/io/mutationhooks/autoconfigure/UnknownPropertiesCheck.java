package io.mutationhooks.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;

/**
 * Fails start-up, before any bean is created, on a property under {@code mutation-hooks} that no properties class
 * binds, such as {@code mutation-hooks.loging.enabled}: Boot's report names it. Each properties class is bound
 * strictly on its own tree without the sub-trees the others bind ({@code mutation-hooks} without
 * {@code mutation-hooks.s3}, ...), since a strict {@code @ConfigurationProperties} at the top would reject them, and
 * the S3 sync's and effects' trees are checked even when those parts are off.
 */
final class UnknownPropertiesCheck implements BeanFactoryPostProcessor {

	/** Every properties class of the starter, each binding its own prefix. */
	static final List<Class<?>> PROPERTIES_CLASSES = List.of(MutationHooksProperties.class, EffectsProperties.class,
			S3SyncProperties.class, MutationHooksHealthProperties.class);

	private final Environment environment;

	UnknownPropertiesCheck(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		// Like Boot's strict binding, system properties and environment variables are not held against the user.
		UnboundElementsSourceFilter checked = new UnboundElementsSourceFilter();
		PlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(this.environment);
		for (Class<?> type : PROPERTIES_CLASSES) {
			ConfigurationPropertyName prefix = prefixOf(type);
			List<ConfigurationPropertyName> otherTrees = PROPERTIES_CLASSES.stream()
				.map(UnknownPropertiesCheck::prefixOf)
				.filter(prefix::isAncestorOf)
				.toList();
			List<ConfigurationPropertySource> ownTree = new ArrayList<>();
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
				if (checked.apply(source)) {
					ownTree.add(source.filter(name -> otherTrees.stream()
						.noneMatch(other -> other.equals(name) || other.isAncestorOf(name))));
				}
			}
			new Binder(ownTree, placeholders).bind(prefix, Bindable.of(type),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		}
	}

	private static ConfigurationPropertyName prefixOf(Class<?> type) {
		ConfigurationProperties annotation = MergedAnnotations.from(type)
			.get(ConfigurationProperties.class)
			.synthesize();
		return ConfigurationPropertyName.of(annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix());
	}

}
