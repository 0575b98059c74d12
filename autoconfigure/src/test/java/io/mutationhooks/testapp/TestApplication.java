package io.mutationhooks.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/** The application the integration tests run: users, immutable accounts and posts with comments. */
@SpringBootApplication
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

}
