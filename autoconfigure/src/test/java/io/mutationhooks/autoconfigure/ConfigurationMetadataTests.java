package io.mutationhooks.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the build generates for IDEs describes every property, the fields of a bucket and of a
 * reference included, with their defaults and hints.
 */
class ConfigurationMetadataTests {

	private final JsonNode metadata = ownMetadata();

	@Test
	void describesTheFieldsOfABucketWithTheirDefaults() {
		Map<String, JsonNode> properties = properties();
		assertThat(properties).containsKeys("mutation-hooks.s3.buckets.*.name", "mutation-hooks.s3.buckets.*.prefix",
				"mutation-hooks.s3.buckets.*.verify-on-write", "mutation-hooks.s3.buckets.*.cleanup");
		assertThat(properties.get("mutation-hooks.s3.buckets.*.name").has("defaultValue"))
			.as("defaults to its name in configuration, not a fixed value")
			.isFalse();
		assertThat(properties.get("mutation-hooks.s3.buckets.*.prefix").get("defaultValue").asString()).isEmpty();
		assertThat(properties.get("mutation-hooks.s3.buckets.*.verify-on-write").get("defaultValue").asBoolean())
			.isTrue();
		assertThat(properties.get("mutation-hooks.s3.buckets.*.cleanup").get("defaultValue").asBoolean()).isTrue();
	}

	@Test
	void describesTheSweepOfABucketWithItsDefaults() {
		Map<String, JsonNode> properties = properties();
		String sweep = "mutation-hooks.s3.buckets.*.sweep.";
		assertThat(properties).containsKeys(sweep + "cron", sweep + "interval");
		assertThat(properties.get(sweep + "enabled").get("defaultValue").asBoolean()).isFalse();
		assertThat(properties.get(sweep + "mode").get("defaultValue").asString()).isEqualTo("dry-run");
		assertThat(properties.get(sweep + "grace-period").get("defaultValue").asString()).isEqualTo("1h");
		assertThat(properties.get(sweep + "quarantine-prefix").get("defaultValue").asString()).isEqualTo("lost+found/");
		assertThat(properties.get(sweep + "reports-kept").get("defaultValue").asInt()).isEqualTo(10);
		assertThat(hint(sweep + "mode").path("values").findValuesAsString("value")).containsExactly("dry-run", "delete",
				"quarantine");
	}

	@Test
	void describesTheFieldsOfAReference() {
		assertThat(properties()).containsKeys("mutation-hooks.s3.references[].entity",
				"mutation-hooks.s3.references[].field", "mutation-hooks.s3.references[].bucket");
	}

	@Test
	void describesEveryProperty() {
		assertThat(properties()).hasSizeGreaterThanOrEqualTo(25).allSatisfy((name, property) -> {
			assertThat(property.path("description").asString()).as(name).isNotBlank();
			assertThat(property.path("type").asString()).as(name).isNotBlank();
		});
	}

	@Test
	void theReadmeNamesEveryDescribedPropertyAndEveryPropertyOfItsTableIsDescribed() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		// The README writes a bucket's name as <name> and a reference's index as [i]; the metadata * and [].
		Set<String> named = new TreeSet<>();
		Matcher property = Pattern.compile("`((?:mutation-hooks|management)\\.[a-z0-9.<>\\[\\]-]+)").matcher(readme);
		while (property.find()) {
			named.add(property.group(1).replace("<name>", "*").replace("[i]", "[]"));
		}
		Set<String> described = properties().keySet();
		Set<String> own = new TreeSet<>(described);
		// Boot's own, and a map or a list the README names by its entries.
		own.removeIf(name -> name.startsWith("management.") && !name.contains("mutationhooks")
				|| named.stream().anyMatch(entry -> entry.startsWith(name + ".") || entry.startsWith(name + "[")));
		assertThat(named).as("every property the README names in code").containsAll(own);
		Set<String> tableRows = new TreeSet<>();
		Matcher row = Pattern.compile("(?m)^\\| `(mutation-hooks\\.[^`]+)`").matcher(readme);
		while (row.find()) {
			tableRows.add(row.group(1).replace("<name>", "*").replace("[i]", "[]"));
		}
		assertThat(tableRows).hasSizeGreaterThanOrEqualTo(30);
		assertThat(described).as("every property of the README's table").containsAll(tableRows);
		assertThat(described).contains("management.health.mutationhooks.enabled", "mutation-hooks.metrics.enabled",
				"mutation-hooks.metrics.backlog-refresh-interval", "mutation-hooks.health.parked-threshold",
				"mutation-hooks.health.oldest-pending-threshold", "mutation-hooks.health.status-when-exceeded",
				"mutation-hooks.health.cache-time-to-live");
	}

	@Test
	void hintsThatAReferencesEntityIsAClass() {
		JsonNode hint = hint("mutation-hooks.s3.references[].entity");
		assertThat(hint.path("providers").get(0).path("name").asString()).isEqualTo("class-reference");
	}

	@Test
	void hintsTheValuesOfTheCleanupQueue() {
		JsonNode values = hint("mutation-hooks.s3.cleanup.queue").path("values");
		assertThat(values.findValuesAsString("value")).containsExactly("durable", "in-memory");
	}

	private Map<String, JsonNode> properties() {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		this.metadata.path("properties").forEach(property -> properties.put(property.get("name").asString(), property));
		return properties;
	}

	private JsonNode hint(String name) {
		for (JsonNode hint : this.metadata.path("hints")) {
			if (hint.path("name").asString().equals(name)) {
				return hint;
			}
		}
		throw new AssertionError("no hint for " + name + " in " + this.metadata.path("hints"));
	}

	/** The metadata of this module's build output, not of the other jars on the class path. */
	private static JsonNode ownMetadata() {
		String ownLocation = S3SyncProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		try {
			for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				if (url.toString().contains(ownLocation.replaceFirst("^file:", ""))) {
					try (InputStream in = url.openStream()) {
						return JsonMapper.builder().build().readTree(in);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		throw new AssertionError("no META-INF/spring-configuration-metadata.json generated at " + ownLocation);
	}

}
