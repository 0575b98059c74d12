package io.mutationhooks.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Gives db-scheduler defaults fit for an effect queue, below every property source of the application, so that the
 * application's own {@code db-scheduler.*} values still win. db-scheduler's own defaults suit batch jobs: a poll every
 * 10 s, and a dead instance's work taken over after 30 min.
 */
public class DbSchedulerDefaults implements EnvironmentPostProcessor {

	/** The name of the property source holding these defaults. */
	public static final String SOURCE_NAME = "mutationHooksDbSchedulerDefaults";

	static final Map<String, Object> DEFAULTS = defaults();

	private static Map<String, Object> defaults() {
		Map<String, Object> defaults = new LinkedHashMap<>();
		// Commits wake the scheduler at once; polling is for other instances' effects and for retries.
		defaults.put("db-scheduler.polling-interval", "1s");
		// A dead instance's running effects are taken over after 6 missed heartbeats of 5 s (30 s), found by a check
		// every 10 s: within 40 s. A heartbeat is one UPDATE per running effect.
		defaults.put("db-scheduler.heartbeat-interval", "5s");
		defaults.put("db-scheduler.missed-heartbeats-limit", "6");
		// MariaDB and MySQL keep DATETIME without a zone: UTC everywhere keeps instances in different zones right.
		defaults.put("db-scheduler.always-persist-timestamp-in-utc", "true");
		// Handlers are beans: run nothing before the context is ready.
		defaults.put("db-scheduler.delay-startup-until-context-ready", "true");
		// An effect still running at shutdown is taken over after restart, so shutdown need not wait 30 minutes.
		defaults.put("db-scheduler.shutdown-max-wait", "10s");
		// On H2 db-scheduler warns at each start about zone-less columns; the starter's H2 schema has zones.
		defaults.put("logging.level.com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization.utc_warning",
				"ERROR");
		return Map.copyOf(defaults);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent("com.github.kagkarlsson.scheduler.Scheduler", application.getClassLoader())
				|| !environment.getProperty(MutationHooksProperties.PREFIX + ".enabled", Boolean.class, true)
				|| !environment.getProperty(EffectsProperties.PREFIX + ".enabled", Boolean.class, true)) {
			return;
		}
		// Only what no source sets: Boot moves the application's default properties after every other source later.
		Map<String, Object> missing = new LinkedHashMap<>();
		DEFAULTS.forEach((name, value) -> {
			if (!environment.containsProperty(name)) {
				missing.put(name, value);
			}
		});
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, missing));
	}

}
