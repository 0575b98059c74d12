package io.mutationhooks.testapp;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mutationhooks.effects.EffectHandler;
import io.mutationhooks.effects.PartialEffectFailure;
import io.mutationhooks.effects.PermanentEffectFailure;

/**
 * Effect handlers of the test application: {@value #NOTES} takes up to 3 notes a call and fails as a test tells it;
 * {@value #ORDERS} takes orders, whose JSON an older version wrote in a form the current one cannot read until fixed.
 */
@Configuration(proxyBeanMethods = false)
public class TestEffects {

	public static final String NOTES = "test.notes";

	public static final String ORDERS = "test.orders";

	public static final String MEASUREMENTS = "test.measurements";

	public static final String EVENTS = "test.events";

	public static final String READINGS = "test.readings";

	/** A note to send somewhere. */
	public record Note(String text) {
	}

	/** An order whose id must not be a legacy one, until {@link Probe#acceptLegacyOrders} says it may. */
	public record Order(String id) {

		static volatile boolean acceptLegacy;

		@JsonCreator
		public static Order of(@JsonProperty("id") String id) {
			if (id.startsWith("legacy-") && !acceptLegacy) {
				throw new IllegalArgumentException("legacy order ids are not supported: " + id);
			}
			return new Order(id);
		}

	}

	/** A payload with a typed decimal and untyped values, as an event's attributes are. */
	public record Measurement(BigDecimal price, Map<String, Object> attributes) {
	}

	/** A payload read through a tree of its own, as a custom deserializer reads one: its number as that tree holds it. */
	public record Reading(Object ratio) {

		@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
		public static Reading of(JsonNode json) {
			JsonNode ratio = json.get("ratio");
			return new Reading(ratio.isDouble() ? (Object) ratio.doubleValue() : ratio.decimalValue());
		}

	}

	/** What the handlers were given, and how they fail. */
	public static final class Probe {

		public final List<List<Note>> noteCalls = new CopyOnWriteArrayList<>();

		public final List<Order> orders = new CopyOnWriteArrayList<>();

		public final List<Measurement> measurements = new CopyOnWriteArrayList<>();

		public final List<JsonNode> events = new CopyOnWriteArrayList<>();

		public final List<Reading> readings = new CopyOnWriteArrayList<>();

		/** How many more calls fail for now; negative for every call. */
		public final AtomicInteger transientFailures = new AtomicInteger();

		public volatile boolean failForGood;

		/**
		 * The next call given a note of this text writes the others and fails it partly, naming a note that is only
		 * equal to it (not the instance it was given).
		 */
		public volatile String failsNamingACopyOf;

		/** The next call writes nothing and fails partly, naming a note it was not given. */
		public volatile boolean failsNamingAStranger;

		/** Runs as each call begins, on the scheduler's thread: sees or holds the call. */
		public volatile Runnable whenCalled;

		public void reset() {
			this.noteCalls.clear();
			this.orders.clear();
			this.measurements.clear();
			this.events.clear();
			this.readings.clear();
			this.transientFailures.set(0);
			this.failForGood = false;
			this.failsNamingACopyOf = null;
			this.failsNamingAStranger = false;
			this.whenCalled = null;
			Order.acceptLegacy = false;
		}

		public void acceptLegacyOrders() {
			Order.acceptLegacy = true;
		}

		public List<String> notes() {
			return this.noteCalls.stream().flatMap(List::stream).map(Note::text).toList();
		}

	}

	@Bean
	Probe effectProbe() {
		return new Probe();
	}

	@Bean
	EffectHandler<Note> notes(Probe probe) {
		return new EffectHandler<>() {

			@Override
			public String name() {
				return NOTES;
			}

			@Override
			public Class<Note> payloadType() {
				return Note.class;
			}

			@Override
			public int maxBatchSize() {
				return 3;
			}

			@Override
			public void handle(List<Note> payloads) {
				Runnable whenCalled = probe.whenCalled;
				if (whenCalled != null) {
					whenCalled.run();
				}
				if (probe.failForGood) {
					throw new PermanentEffectFailure("the note service refused " + payloads);
				}
				int failures = probe.transientFailures.getAndUpdate(left -> left > 0 ? left - 1 : left);
				if (failures != 0) {
					throw new IllegalStateException("the note service is down");
				}
				if (probe.failsNamingAStranger) {
					probe.failsNamingAStranger = false;
					throw new PartialEffectFailure(Map.of(new Note("stranger"), new IllegalStateException("no")));
				}
				String refused = probe.failsNamingACopyOf;
				if (refused != null && payloads.contains(new Note(refused))) {
					probe.failsNamingACopyOf = null;
					probe.noteCalls.add(payloads.stream().filter(note -> !note.text().equals(refused)).toList());
					throw new PartialEffectFailure(Map.of(new Note(refused),
							new IllegalStateException("the note service refused " + refused)));
				}
				probe.noteCalls.add(payloads);
			}
		};
	}

	@Bean
	EffectHandler<Order> orders(Probe probe) {
		return EffectHandler.of(ORDERS, Order.class, probe.orders::add);
	}

	@Bean
	EffectHandler<Measurement> measurements(Probe probe) {
		return EffectHandler.of(MEASUREMENTS, Measurement.class, probe.measurements::add);
	}

	@Bean
	EffectHandler<JsonNode> events(Probe probe) {
		return EffectHandler.of(EVENTS, JsonNode.class, probe.events::add);
	}

	@Bean
	EffectHandler<Reading> readings(Probe probe) {
		return EffectHandler.of(READINGS, Reading.class, probe.readings::add);
	}

}
