package io.mutationhooks.testapp;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.data.relational.core.mapping.event.AfterSaveCallback;
import org.springframework.core.annotation.Order;

import io.mutationhooks.testaggregates.Album;

/**
 * The application the integration tests run: users, immutable accounts and posts with comments, and the aggregates
 * of {@code testaggregates}, whose package it adds for their repositories and entities.
 */
@SpringBootApplication
@AutoConfigurationPackage(basePackageClasses = { TestApplication.class, Album.class })
public class TestApplication {

	@Bean
	@Order(1)
	RecordingHook recordingHook() {
		return new RecordingHook();
	}

	@Bean
	@Order(2)
	SwitchableHook switchableHook() {
		return new SwitchableHook();
	}

	@Bean
	ReadCallbacks readCallbacks() {
		return new ReadCallbacks();
	}

	/** Fails the save of a post titled {@value #FAILS_AFTER_SAVE} once Spring Data has set its id. */
	@Bean
	AfterSaveCallback<Post> failingAfterSave() {
		return post -> {
			if (FAILS_AFTER_SAVE.equals(post.getTitle())) {
				throw new IllegalStateException("after-save callback failed");
			}
			return post;
		};
	}

	public static final String FAILS_AFTER_SAVE = "fails after save";

}
