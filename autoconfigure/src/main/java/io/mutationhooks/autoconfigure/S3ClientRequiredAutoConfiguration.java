package io.mutationhooks.autoconfigure;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.util.ClassUtils;

import io.mutationhooks.jdbc.MutationRunner;
import io.mutationhooks.s3.S3Reference;
import io.mutationhooks.s3.S3References;

/**
 * Fails start-up when entity fields refer to S3 objects ({@link S3Reference} or {@code mutation-hooks.s3.references})
 * but the S3 sync is off for want of an {@code S3Client} bean: their objects would silently be neither checked nor
 * deleted. Needs no AWS class, so that it also speaks when the hooks starter is used without the S3 one.
 */
@AutoConfiguration(after = { MutationHooksAutoConfiguration.class, S3SyncAutoConfiguration.class })
@ConditionalOnBean(MutationRunner.class)
@ConditionalOnMissingBean(S3References.class)
@ConditionalOnBooleanProperty(name = S3SyncProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(S3SyncProperties.class)
public final class S3ClientRequiredAutoConfiguration {

	/** Runs once every repository has added its entity type. */
	@Bean
	SmartInitializingSingleton s3ClientRequiredCheck(S3SyncProperties properties,
			RelationalMappingContext mappingContext, ResourceLoader resourceLoader) {
		return () -> {
			List<String> references = annotatedReferences(mappingContext);
			List<S3SyncProperties.Reference> declared = properties.getReferences();
			for (int i = 0; i < declared.size(); i++) {
				S3SyncProperties.Reference reference = declared.get(i);
				String entity = reference.getEntity() == null ? "?" : reference.getEntity().getName();
				references.add(entity + "." + reference.getField() + " (" + S3SyncProperties.PREFIX + ".references["
						+ i + "])");
			}
			if (!references.isEmpty()) {
				throw new MissingS3ClientException(references, s3AutoConfigurationPresent(resourceLoader));
			}
		};
	}

	/**
	 * Whether Spring Cloud AWS's S3 auto-configuration could run: its class and the classes it is conditional on are
	 * there. Its class alone is not enough: Spring Cloud AWS's other starters bring it too.
	 */
	private static boolean s3AutoConfigurationPresent(ResourceLoader resourceLoader) {
		ClassLoader classLoader = resourceLoader.getClassLoader();
		return Stream.of(MissingS3ClientFailureAnalyzer.S3_AUTO_CONFIGURATION,
				"software.amazon.awssdk.services.s3.S3Client", "io.awspring.cloud.s3.S3OutputStreamProvider")
			.allMatch(name -> ClassUtils.isPresent(name, classLoader));
	}

	private static List<String> annotatedReferences(RelationalMappingContext mappingContext) {
		List<String> references = new ArrayList<>();
		for (RelationalPersistentEntity<?> entity : mappingContext.getPersistentEntities()) {
			Class<?> entityType = entity.getType();
			for (Class<?> type = entityType; type != null && type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					S3Reference annotation = field.getAnnotation(S3Reference.class);
					if (annotation != null) {
						references.add(entityType.getName() + "." + field.getName() + " (@S3Reference(bucket = \""
								+ annotation.bucket() + "\"))");
					}
				}
			}
		}
		return references;
	}

}
