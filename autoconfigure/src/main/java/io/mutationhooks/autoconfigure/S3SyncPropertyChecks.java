package io.mutationhooks.autoconfigure;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

import io.mutationhooks.effects.Effects;
import io.mutationhooks.s3.S3Bucket;
import io.mutationhooks.s3.S3References;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweptBucket;

/**
 * The S3 sync's properties turned into what the library takes, each wrong value failing start-up with an
 * {@link InvalidPropertyException} naming its property.
 */
final class S3SyncPropertyChecks {

	private static final String PREFIX = S3SyncProperties.PREFIX;

	/** How many cleanup calls a lease timeout must cover at least. */
	private static final int MIN_LEASE_TIMEOUT_CALLS = 4;

	private S3SyncPropertyChecks() {
	}

	/** The configured buckets, each prefix ending with '/'. */
	static List<S3Bucket> buckets(S3SyncProperties properties) {
		List<S3Bucket> buckets = new ArrayList<>();
		for (Map.Entry<String, S3SyncProperties.Bucket> entry : properties.getBuckets().entrySet()) {
			String id = entry.getKey();
			S3SyncProperties.Bucket bucket = entry.getValue();
			String prefix = bucket.getPrefix() == null ? "" : bucket.getPrefix();
			if (!prefix.isEmpty() && !prefix.endsWith("/")) {
				throw new InvalidPropertyException(PREFIX + ".buckets." + id + ".prefix", prefix,
						"a prefix must end with '/', or it would admit keys outside it (\"" + prefix + "-other/...\")",
						"Set " + PREFIX + ".buckets." + id + ".prefix to '" + prefix + "/'.");
			}
			String name = bucket.getName() == null || bucket.getName().isBlank() ? id : bucket.getName();
			buckets.add(new S3Bucket(id, name, prefix, bucket.isVerifyOnWrite(), bucket.isCleanup()));
		}
		return buckets;
	}

	/** The buckets whose sweep is enabled, with its settings. */
	static List<SweptBucket> sweptBuckets(S3SyncProperties properties) {
		List<SweptBucket> swept = new ArrayList<>();
		List<S3Bucket> buckets = buckets(properties);
		for (S3Bucket bucket : buckets) {
			S3SyncProperties.Sweep sweep = properties.getBuckets().get(bucket.id()).getSweep();
			if (!sweep.isEnabled()) {
				continue;
			}
			String property = PREFIX + ".buckets." + bucket.id() + ".sweep.";
			Duration grace = sweep.getGracePeriod();
			if (grace == null || grace.isNegative()) {
				throw new InvalidPropertyException(property + "grace-period", grace, "it must not be negative",
						"Set " + property + "grace-period to 0s or more, such as 1h.");
			}
			String quarantinePrefix = sweep.getQuarantinePrefix();
			if (quarantinePrefix == null || quarantinePrefix.isEmpty() || !quarantinePrefix.endsWith("/")) {
				throw new InvalidPropertyException(property + "quarantine-prefix", quarantinePrefix,
						"it must end with '/', or quarantined keys would run into the keys they came from",
						"Set " + property + "quarantine-prefix to '" + (quarantinePrefix == null
								|| quarantinePrefix.isEmpty() ? "lost+found" : quarantinePrefix) + "/'.");
			}
			if (!bucket.prefix().isEmpty() && bucket.prefix().startsWith(quarantinePrefix)) {
				throw new InvalidPropertyException(property + "quarantine-prefix", quarantinePrefix,
						"the bucket's prefix ('" + bucket.prefix() + "') is under it, so every key the sweep lists is "
								+ "under the quarantine prefix, where nothing is swept: every sweep would scan nothing",
						"Set " + property + "quarantine-prefix to a prefix outside '" + bucket.prefix() + "', such as "
								+ "'lost+found/'.");
			}
			List<S3Bucket> unleasedWriters = SweptBucket.unleasedWriters(bucket, quarantinePrefix, buckets);
			if (sweep.getMode() != SweepMode.DRY_RUN && !unleasedWriters.isEmpty()) {
				throw unleasedWriter(bucket, sweep.getMode(), unleasedWriters.get(0));
			}
			sweepSchedule(bucket.id(), sweep);
			swept.add(new SweptBucket(bucket, sweep.getMode(), grace, quarantinePrefix,
					PropertyChecks.atLeastOne(property + "reports-kept", sweep.getReportsKept()), unleasedWriters));
		}
		for (SweptBucket quarantining : swept) {
			for (SweptBucket other : swept) {
				// A sweep skips the copies of every swept binding of its real bucket.
				if (other != quarantining && other.bucket().name().equals(quarantining.bucket().name())
						&& other.bucket().prefix().startsWith(quarantining.quarantinePrefix())) {
					String property = PREFIX + ".buckets." + quarantining.id() + ".sweep.quarantine-prefix";
					throw new InvalidPropertyException(property, quarantining.quarantinePrefix(), "the prefix of the "
							+ "binding " + other.id() + " of the same bucket ('" + other.bucket().prefix() + "') is "
							+ "under it, so a sweep of " + other.id() + " would skip every key it lists as quarantined",
							"Set " + property + " to a prefix outside '" + other.bucket().prefix() + "'.");
				}
			}
		}
		return swept;
	}

	/**
	 * The failure of a sweep that would remove objects that {@code writer}'s writes can refer to without leasing
	 * them: between the effect's last check and its delete, such a write could commit a reference to the object.
	 */
	private static InvalidPropertyException unleasedWriter(S3Bucket swept, SweepMode mode, S3Bucket writer) {
		List<String> off = new ArrayList<>();
		// Another binding's writes lease when they verify, the swept binding cleaning up (it is reported first if not).
		if (!writer.cleanup() && writer.id().equals(swept.id())) {
			off.add("cleanup");
		}
		if (!writer.verifyOnWrite()) {
			off.add("verify-on-write");
		}
		String whose = writer.id().equals(swept.id()) ? "the bucket"
				: "the binding " + writer.id() + " of the same bucket (" + writer.name() + "), whose prefix ('"
						+ writer.prefix() + "') overlaps this one's ('" + swept.prefix() + "'),";
		String writerProperty = PREFIX + ".buckets." + writer.id() + ".";
		// A swept binding that checks but does not clean up may lease (another binding of its bucket cleaning up):
		// its sweep's removals would not be done.
		String why = writer.id().equals(swept.id()) && writer.verifyOnWrite()
				? "so its objects are not removed: a sweep's deletes, as its cleanup's, need its writes to lease them"
				: "so its writes do not lease the objects they check, and a sweep could take an object a write is "
						+ "about to refer to";
		return new InvalidPropertyException(PREFIX + ".buckets." + swept.id() + ".sweep.mode", mode,
				whose + " has " + String.join(": false and ", off) + ": false, " + why,
				"Set " + String.join(" and ", off.stream().map(name -> writerProperty + name + "=true").toList())
						+ ", or " + PREFIX + ".buckets." + swept.id() + ".sweep.mode=dry-run.");
	}

	/**
	 * The schedule of a bucket's sweep: a cron expression or a positive interval, not both, or neither (empty) for a
	 * sweep run only on demand.
	 */
	static Optional<SweepSchedule> sweepSchedule(String bucket, S3SyncProperties.Sweep sweep) {
		String property = PREFIX + ".buckets." + bucket + ".sweep.";
		String cron = sweep.getCron() == null || sweep.getCron().isBlank() ? null : sweep.getCron().trim();
		if (cron != null && sweep.getInterval() != null) {
			throw new InvalidPropertyException(property + "interval", sweep.getInterval(),
					"it is set with " + property + "cron ('" + cron + "'), and a sweep has one schedule",
					"Remove " + property + "interval or " + property + "cron.");
		}
		if (sweep.getInterval() != null) {
			return Optional.of(new SweepSchedule(null,
					PropertyChecks.requirePositive(property + "interval", sweep.getInterval())));
		}
		return cron == null ? Optional.empty() : Optional.of(new SweepSchedule(cron, null));
	}

	/**
	 * When a bucket is swept.
	 * @param cron a cron expression, or {@literal null} for an interval
	 * @param interval the wait from the end of a sweep to the next, or {@literal null} for a cron expression
	 */
	record SweepSchedule(String cron, Duration interval) {
	}

	/** The references declared in configuration, each naming an entity, a String field of it and a bucket. */
	static List<S3References.Declared> declaredReferences(S3SyncProperties properties) {
		List<S3References.Declared> declared = new ArrayList<>();
		List<S3SyncProperties.Reference> references = properties.getReferences();
		for (int i = 0; i < references.size(); i++) {
			S3SyncProperties.Reference reference = references.get(i);
			String property = PREFIX + ".references[" + i + "].";
			Class<?> entity = reference.getEntity();
			if (entity == null) {
				throw new InvalidPropertyException(property + "entity", null, "every reference needs an entity",
						"Set " + property + "entity to the fully qualified name of the entity class.");
			}
			String fieldName = reference.getField();
			if (fieldName == null || fieldName.isBlank()) {
				throw new InvalidPropertyException(property + "field", fieldName, "every reference needs a field",
						"Set " + property + "field to a String field of " + entity.getName() + ".");
			}
			Field field = S3References.findField(entity, fieldName);
			if (field == null || field.getType() != String.class) {
				String problem = field == null ? entity.getName() + " has no field '" + fieldName + "'"
						: "the field " + entity.getName() + "." + fieldName + " is a "
								+ field.getType().getSimpleName() + ", not a String";
				throw new InvalidPropertyException(property + "field", fieldName, problem, "Set " + property
						+ "field to one of the String fields of " + entity.getSimpleName() + ": " + stringFields(entity)
						+ ".");
			}
			String bucket = reference.getBucket();
			if (bucket == null || bucket.isBlank() || !properties.getBuckets().containsKey(bucket)) {
				throw new InvalidPropertyException(property + "bucket", bucket,
						"it names no bucket configured under " + PREFIX + ".buckets, which has "
								+ properties.getBuckets().keySet(),
						"Set " + property + "bucket to one of the configured buckets, or configure it as " + PREFIX
								+ ".buckets." + (bucket == null || bucket.isBlank() ? "<name>" : bucket)
								+ ".name=<its name in S3>.");
			}
			declared.add(new S3References.Declared(entity, fieldName, bucket));
		}
		return declared;
	}

	private static List<String> stringFields(Class<?> type) {
		List<String> names = new ArrayList<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				if (field.getType() == String.class && !field.isSynthetic()) {
					names.add(field.getName());
				}
			}
		}
		return names;
	}

	/** How many HeadObject requests may run at once: at least one. */
	static int parallelism(S3SyncProperties properties) {
		return PropertyChecks.atLeastOne(PREFIX + ".verify.parallelism", properties.getVerify().getParallelism());
	}

	/** How often the in-memory cleanup tries a delete: at least once. */
	static int maxAttempts(S3SyncProperties properties) {
		return PropertyChecks.atLeastOne(PREFIX + ".cleanup.max-attempts", properties.getCleanup().getMaxAttempts());
	}

	/** The in-memory cleanup's wait before its first retry: positive. */
	static Duration initialBackoff(S3SyncProperties properties) {
		return PropertyChecks.requirePositive(PREFIX + ".cleanup.initial-backoff",
				properties.getCleanup().getInitialBackoff());
	}

	/** The in-memory cleanup's longest wait between retries: positive, and not shorter than the first. */
	static Duration maxBackoff(S3SyncProperties properties) {
		String property = PREFIX + ".cleanup.max-backoff";
		Duration maxBackoff = PropertyChecks.requirePositive(property, properties.getCleanup().getMaxBackoff());
		return PropertyChecks.requireNotShorter(property, maxBackoff, PREFIX + ".cleanup.initial-backoff",
				initialBackoff(properties));
	}

	/**
	 * The durable effects the durable cleanup queue records deletes as: without them (db-scheduler missing or off,
	 * or effects switched off) the queue, the default, cannot work.
	 */
	static Effects durableEffects(Effects effects) {
		if (effects == null) {
			String property = PREFIX + ".cleanup.queue";
			throw new InvalidPropertyException(property, "durable", "the durable queue (the default) records deletes "
					+ "as durable effects, but durable effects are off: db-scheduler is not on the class path or is "
					+ "switched off, or " + EffectsProperties.PREFIX + ".enabled is false",
					"Put db-scheduler-spring-boot-4-starter on the class path and leave " + EffectsProperties.PREFIX
							+ ".enabled true, or set " + property + "=in-memory to keep deletes in memory, where "
							+ "a crash loses them.");
		}
		return effects;
	}

	/** The lease timeout: positive, and long enough for the cleanup calls of a claim (a copy, then the delete). */
	static Duration leaseTimeout(S3SyncProperties properties) {
		Duration leaseTimeout = properties.getVerify().getLeaseTimeout();
		String leaseProperty = PREFIX + ".verify.lease-timeout";
		PropertyChecks.requirePositive(leaseProperty, leaseTimeout);
		// Claims are purged after twice the lease timeout: a delete still on its way to S3 by then could land after
		// a write that leased the key found no claim of it. A claim is not one call: the quarantine copies for up to
		// a quarter of the lease timeout after its claim (each copy up to a call timeout, so at least one fits), and
		// the delete is sent only while the claim is younger than half the lease timeout, so it lands, a call timeout
		// later at most, within three quarters of it.
		Duration callTimeout = properties.getCleanup().getCallTimeout();
		Duration least = callTimeout == null ? null : callTimeout.multipliedBy(MIN_LEASE_TIMEOUT_CALLS);
		if (least != null && leaseTimeout.compareTo(least) < 0) {
			throw new InvalidPropertyException(leaseProperty, leaseTimeout,
					"it must be at least " + MIN_LEASE_TIMEOUT_CALLS + " times " + PREFIX + ".cleanup.call-timeout ("
							+ callTimeout + "), so that a claim leaves time for a copy (a quarter of the lease timeout) "
							+ "and for its delete to reach S3 well within the lease timeout of the claim",
					"Set " + leaseProperty + " to " + least + " or more, or shorten " + PREFIX
							+ ".cleanup.call-timeout.");
		}
		return leaseTimeout;
	}

	/**
	 * Overrides that bound each request of a group ({@code verify} or {@code cleanup}) in time, per attempt and with
	 * the AWS SDK's retries.
	 */
	static AwsRequestOverrideConfiguration timeouts(String group, Duration attempt, Duration call) {
		String attemptProperty = PREFIX + "." + group + ".attempt-timeout";
		String callProperty = PREFIX + "." + group + ".call-timeout";
		PropertyChecks.requirePositive(attemptProperty, attempt);
		PropertyChecks.requirePositive(callProperty, call);
		PropertyChecks.requireNotShorter(callProperty, call, attemptProperty, attempt);
		return AwsRequestOverrideConfiguration.builder().apiCallAttemptTimeout(attempt).apiCallTimeout(call).build();
	}

}
