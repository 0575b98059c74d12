package io.mutationhooks.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.mutationhooks.s3.sweep.SweepMode;

/**
 * Configuration of the S3 sync, under {@value #PREFIX}: the buckets entity fields refer to, references declared
 * for entities that cannot be annotated, and how objects are checked and cleaned up.
 */
@ConfigurationProperties(prefix = S3SyncProperties.PREFIX, ignoreUnknownFields = false)
public class S3SyncProperties {

	/** The prefix of every S3 sync property. */
	public static final String PREFIX = "mutation-hooks.s3";

	/** Whether entity fields annotated with @S3Reference, or declared under references, are kept in sync with S3. */
	private boolean enabled = true;

	/**
	 * The buckets references point into, by the name that @S3Reference(bucket = ...) and references use.
	 */
	private Map<String, Bucket> buckets = new LinkedHashMap<>();

	/** References declared here for entities that cannot be annotated with @S3Reference. */
	private List<Reference> references = new ArrayList<>();

	private final Verify verify = new Verify();

	private final Cleanup cleanup = new Cleanup();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Bucket> getBuckets() {
		return this.buckets;
	}

	public void setBuckets(Map<String, Bucket> buckets) {
		this.buckets = buckets;
	}

	public List<Reference> getReferences() {
		return this.references;
	}

	public void setReferences(List<Reference> references) {
		this.references = references;
	}

	public Verify getVerify() {
		return this.verify;
	}

	public Cleanup getCleanup() {
		return this.cleanup;
	}

	/** A bucket that entity fields refer to. */
	public static class Bucket {

		/** The bucket's real name in S3. Defaults to its name in configuration. */
		private String name;

		/** The key prefix every reference must live under, such as "avatars/". Empty for none. */
		private String prefix = "";

		/** Whether creates and updates check with HeadObject that the referenced object exists. */
		private boolean verifyOnWrite = true;

		/** Whether objects are deleted after commit once no row refers to them. */
		private boolean cleanup = true;

		/** The orphan sweep of this bucket: objects no row refers to, found by listing the bucket. */
		private final Sweep sweep = new Sweep();

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public boolean isVerifyOnWrite() {
			return this.verifyOnWrite;
		}

		public void setVerifyOnWrite(boolean verifyOnWrite) {
			this.verifyOnWrite = verifyOnWrite;
		}

		public boolean isCleanup() {
			return this.cleanup;
		}

		public void setCleanup(boolean cleanup) {
			this.cleanup = cleanup;
		}

		public Sweep getSweep() {
			return this.sweep;
		}

	}

	/** The orphan sweep of a bucket: what it does, when, and what it spares. */
	public static class Sweep {

		/**
		 * Whether the orphan sweeper may sweep this bucket: list the objects under its prefix and delete (or
		 * quarantine) those no row refers to that are older than the grace period.
		 */
		private boolean enabled;

		/**
		 * What a sweep does with orphans unless told otherwise: dry-run (count and log them, change nothing), delete,
		 * or quarantine (move them under the quarantine prefix).
		 */
		private SweepMode mode = SweepMode.DRY_RUN;

		/**
		 * How old an object must be, from its last modification in S3, before a sweep may take it, so that an upload
		 * not yet referred to by a committed row is spared. Must not be negative.
		 */
		private Duration gracePeriod = Duration.ofHours(1);

		/**
		 * Where quarantined objects go in the bucket: this prefix followed by their key. Keys under it are never
		 * swept. Must end with '/'.
		 */
		private String quarantinePrefix = "lost+found/";

		/**
		 * When to sweep, as a cron expression of six fields, seconds first ("0 0 3 * * *": every day at 3:00), in the
		 * JVM's time zone; once across instances. Set it or interval, not both; neither: only when asked to.
		 */
		private String cron;

		/**
		 * How long to wait from the end of a sweep to the start of the next; once across instances. Set it or cron,
		 * not both; neither: only when asked to.
		 */
		private Duration interval;

		/** How many reports of the last runs are kept. */
		private int reportsKept = 10;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public SweepMode getMode() {
			return this.mode;
		}

		public void setMode(SweepMode mode) {
			this.mode = mode;
		}

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

		public String getQuarantinePrefix() {
			return this.quarantinePrefix;
		}

		public void setQuarantinePrefix(String quarantinePrefix) {
			this.quarantinePrefix = quarantinePrefix;
		}

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getReportsKept() {
			return this.reportsKept;
		}

		public void setReportsKept(int reportsKept) {
			this.reportsKept = reportsKept;
		}

	}

	/** A reference field declared in configuration. */
	public static class Reference {

		/**
		 * The entity class, fully qualified: an aggregate root, or an entity or embedded value inside an aggregate
		 * (a nested class as Outer$Inner).
		 */
		private Class<?> entity;

		/** The String field of the entity that holds references. */
		private String field;

		/** The name in configuration of the bucket the field refers to. */
		private String bucket;

		public Class<?> getEntity() {
			return this.entity;
		}

		public void setEntity(Class<?> entity) {
			this.entity = entity;
		}

		public String getField() {
			return this.field;
		}

		public void setField(String field) {
			this.field = field;
		}

		public String getBucket() {
			return this.bucket;
		}

		public void setBucket(String bucket) {
			this.bucket = bucket;
		}

	}

	/** How the existence of referenced objects is checked. */
	public static class Verify {

		/** How many HeadObject requests a saveAll may run at once. */
		private int parallelism = 16;

		/**
		 * The longest one HeadObject or HeadBucket request may wait for S3 before the AWS SDK gives it up (and may try
		 * again). Must be positive.
		 */
		private Duration attemptTimeout = Duration.ofSeconds(2);

		/**
		 * The longest the check of one object may take, the AWS SDK's retries included; a write whose check runs out
		 * of time is refused as "could not check". Must be at least the attempt timeout.
		 */
		private Duration callTimeout = Duration.ofSeconds(5);

		/**
		 * How long the lease a write takes on an object before checking it may last: the cleanup of other writes does
		 * not delete a leased object, and the write releases it when its transaction ends. A write whose transaction
		 * commits later than 90% of this after the check is refused, since its lease may have run out. A lease left by
		 * a process that died holds back the deletion of its objects this long. Must be positive.
		 */
		private Duration leaseTimeout = Duration.ofMinutes(5);

		public int getParallelism() {
			return this.parallelism;
		}

		public void setParallelism(int parallelism) {
			this.parallelism = parallelism;
		}

		public Duration getAttemptTimeout() {
			return this.attemptTimeout;
		}

		public void setAttemptTimeout(Duration attemptTimeout) {
			this.attemptTimeout = attemptTimeout;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public Duration getLeaseTimeout() {
			return this.leaseTimeout;
		}

		public void setLeaseTimeout(Duration leaseTimeout) {
			this.leaseTimeout = leaseTimeout;
		}

	}

	/** How objects no longer referred to are deleted. */
	public static class Cleanup {

		/**
		 * Where deletes wait for their turn: durable (recorded in the write's transaction as a durable effect, retried
		 * through outages and crashes, see mutation-hooks.effects.*) or in-memory (a queue in the process, lost at a
		 * crash; for applications without db-scheduler).
		 */
		private Queue queue = Queue.DURABLE;

		/** In-memory queue only: how often a failing delete is tried before it is given up (and logged as an error). */
		private int maxAttempts = 8;

		/** In-memory queue only: the wait before the first retry of a failed delete; doubled for each further retry. */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/** In-memory queue only: the longest wait between retries of a failed delete. */
		private Duration maxBackoff = Duration.ofMinutes(5);

		/**
		 * The longest one DeleteObjects request may wait for S3 before the AWS SDK gives it up (and may try again).
		 * Must be positive.
		 */
		private Duration attemptTimeout = Duration.ofSeconds(10);

		/**
		 * The longest one DeleteObjects call may take, the AWS SDK's retries included, before the delete counts as
		 * failed and is retried after a backoff. Must be at least the attempt timeout.
		 */
		private Duration callTimeout = Duration.ofSeconds(30);

		public Queue getQueue() {
			return this.queue;
		}

		public void setQueue(Queue queue) {
			this.queue = queue;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getAttemptTimeout() {
			return this.attemptTimeout;
		}

		public void setAttemptTimeout(Duration attemptTimeout) {
			this.attemptTimeout = attemptTimeout;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

	}

	/** Where the deletes of the S3 cleanup wait for their turn. */
	public enum Queue {

		/** Recorded with the write as a durable effect on db-scheduler. */
		DURABLE,

		/** Held in the process's memory: lost when it stops or crashes. */
		IN_MEMORY

	}

}
