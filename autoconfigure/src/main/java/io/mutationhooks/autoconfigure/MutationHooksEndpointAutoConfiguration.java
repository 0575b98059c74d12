package io.mutationhooks.autoconfigure;

import java.time.Clock;
import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;

import io.mutationhooks.HookRegistry;
import io.mutationhooks.actuator.HookChains;
import io.mutationhooks.actuator.MutationHooksEndpoint;
import io.mutationhooks.actuator.MutationHooksWebEndpointExtension;
import io.mutationhooks.actuator.S3Details;
import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.jdbc.RepositoryHooksPostProcessor;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.sweep.DanglingReferences;
import io.mutationhooks.s3.sweep.OrphanSweeper;

/**
 * The {@code mutationhooks} actuator endpoint, under Boot's exposure and access rules
 * ({@code management.endpoints.web.exposure.include}, {@code management.endpoint.mutationhooks.access}): the hook
 * chains, the effects' backlog when durable effects are on, the S3 references and sweeps when the S3 sync is.
 */
@AutoConfiguration(after = { MutationHooksAutoConfiguration.class, EffectsAutoConfiguration.class,
		S3SyncAutoConfiguration.class, S3SweepAutoConfiguration.class })
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(HookRegistry.class)
public final class MutationHooksEndpointAutoConfiguration {

	// On the bean methods, not the class: Spring loads a class's conditions before it evaluates the first, so
	// without actuator the class's @ConditionalOnClass could not keep this one from failing.
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(MutationHooksEndpoint.class)
	MutationHooksEndpoint mutationHooksEndpoint(HookRegistry registry,
			ObjectProvider<RelationalMappingContext> mappingContext, ListableBeanFactory beanFactory,
			ObjectProvider<RepositoryHooksPostProcessor> queries, ObjectProvider<EffectBacklog> backlog,
			ObjectProvider<S3Details> s3) {
		HookChains chains = new HookChains(registry, () -> {
			RelationalMappingContext context = mappingContext.getIfUnique();
			return context != null ? HookChainReport.entityTypes(context) : List.of();
		}, beanFactory, queries.getIfUnique());
		return new MutationHooksEndpoint(chains, backlog.getIfUnique(), s3.getIfUnique(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MutationHooksEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	MutationHooksWebEndpointExtension mutationHooksWebEndpointExtension(MutationHooksEndpoint endpoint) {
		return new MutationHooksWebEndpointExtension(endpoint);
	}

	/** The S3 references and sweeps, only when the S3 sync's classes are there. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "software.amazon.awssdk.services.s3.S3Client")
	static class S3 {

		@Bean
		@ConditionalOnAvailableEndpoint(MutationHooksEndpoint.class)
		S3Details mutationHooksS3Details(ObjectProvider<S3References> references,
				ObjectProvider<OrphanSweeper> sweeper, ObjectProvider<DanglingReferences> dangling) {
			return new S3Details(references.getIfUnique(), sweeper.getIfUnique(), dangling.getIfUnique());
		}

	}

}
