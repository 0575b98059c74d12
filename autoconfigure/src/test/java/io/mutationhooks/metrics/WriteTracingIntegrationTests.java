package io.mutationhooks.metrics;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.testapp.TestApplication;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where tracing is on (a tracer's handler in the observation registry), each hooked write is a span named for its
 * operation and entity, with the observation's keys as its tags, the id among them.
 */
@SpringBootTest(classes = { TestApplication.class, WriteTracingIntegrationTests.Traced.class })
class WriteTracingIntegrationTests {

	@Autowired
	SimpleTracer tracer;

	@Autowired
	UserRepository users;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void clean() {
		this.jdbc.update("DELETE FROM app_user");
		this.tracer.getSpans().clear();
	}

	@Test
	void aCreateIsASpanNamedForItsOperationAndEntityTaggedWithItsId() {
		User ann = this.users.save(new User("ann", "ann@example.com"));

		SimpleSpan span = this.tracer.onlySpan();
		assertThat(span.getName()).isEqualTo("create User");
		assertThat(span.getTags()).containsEntry("mutation.entity", "User")
			.containsEntry("mutation.operation", "create")
			.containsEntry("mutation.outcome", "done")
			.containsEntry("mutation.id", String.valueOf(ann.getId()));
		assertThat(span.getEndTimestamp()).isAfterOrEqualTo(span.getStartTimestamp());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Traced {

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleTracer tracer) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
			return registry;
		}

	}

}
