package io.mutationhooks.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when some bucket's sweep is enabled: {@code mutation-hooks.s3.buckets.<name>.sweep.enabled} set to what
 * binds as {@code true} ({@code true}, {@code on}, {@code yes}, {@code 1}).
 */
class OnSweptBucketCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Set<String> swept = sweptBuckets(context.getEnvironment()).keySet();
		return swept.isEmpty() ? ConditionOutcome.noMatch("no bucket's sweep is enabled")
				: ConditionOutcome.match("the sweep of " + swept + " is enabled");
	}

	/**
	 * The buckets whose sweep is enabled, by name in configuration, with whether a schedule is set, read before the
	 * properties are bound and checked (as text, so that a wrong value fails start-up later, naming its property).
	 */
	static Map<String, Boolean> sweptBuckets(Environment environment) {
		Map<String, Bucket> buckets = Binder.get(environment)
			.bind(S3SyncProperties.PREFIX + ".buckets", Bindable.mapOf(String.class, Bucket.class))
			.orElse(Map.of());
		Map<String, Boolean> swept = new LinkedHashMap<>();
		buckets.forEach((name, bucket) -> {
			Sweep sweep = bucket.getSweep();
			if (isTrue(sweep.getEnabled())) {
				swept.put(name, isSet(sweep.getCron()) || isSet(sweep.getInterval()));
			}
		});
		return swept;
	}

	/**
	 * Whether {@code value} binds to {@code true} as the properties bind it (Spring Boot's conversion: {@code true},
	 * {@code on}, {@code yes}, {@code 1}, in any case); a value that binds to no boolean is left for the binding of the
	 * properties to refuse, naming its property.
	 */
	private static boolean isTrue(String value) {
		if (value == null || value.isBlank()) {
			return false;
		}
		try {
			return Boolean.TRUE.equals(ApplicationConversionService.getSharedInstance().convert(value.trim(),
					Boolean.class));
		}
		catch (ConversionException ex) {
			return false;
		}
	}

	private static boolean isSet(String value) {
		return value != null && !value.isBlank();
	}

	/** What this condition reads of a bucket. */
	public static class Bucket {

		private final Sweep sweep = new Sweep();

		public Sweep getSweep() {
			return this.sweep;
		}

	}

	/** What this condition reads of a bucket's sweep: whether it is on and has a schedule. */
	public static class Sweep {

		private String enabled;

		private String cron;

		private String interval;

		public String getEnabled() {
			return this.enabled;
		}

		public void setEnabled(String enabled) {
			this.enabled = enabled;
		}

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public String getInterval() {
			return this.interval;
		}

		public void setInterval(String interval) {
			this.interval = interval;
		}

	}

}
