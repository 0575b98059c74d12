package io.mutationhooks.actuator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectRecord;
import io.mutationhooks.effects.EffectStatus;
import io.mutationhooks.jdbc.RepositoryHooksPostProcessor.UnknownRowsQuery;
import io.mutationhooks.s3.sweep.DanglingReport;
import io.mutationhooks.s3.sweep.SweepReport;

/**
 * The {@code mutationhooks} actuator endpoint: for each mapped entity type, the hooks around its writes in running
 * order, its query methods whose rows hooks cannot know and its S3 references; the durable effects' backlog; the
 * swept buckets with their last reports. Parked effects can be run again or discarded, and buckets swept (a dry run
 * unless asked otherwise) or checked for dangling references.
 * <p>
 * Paths under {@code /actuator/mutationhooks}: {@code GET} for the whole picture; {@code GET effects?status=parked&page=0&size=20};
 * {@code POST effects/{id}} runs a parked effect again, {@code DELETE effects/{id}} discards it; {@code GET sweeps/{bucket}};
 * {@code POST sweeps/{bucket}} with an optional {@code {"mode": "delete"}}; {@code GET dangling/{bucket}}.
 */
@Endpoint(id = "mutationhooks", defaultAccess = Access.READ_ONLY)
public class MutationHooksEndpoint {

	/** The largest page of effects one request may ask for. */
	public static final int MAX_PAGE_SIZE = 500;

	/** The page size of effect listings that name none. */
	public static final int DEFAULT_PAGE_SIZE = 20;

	static final String EFFECTS = "effects";

	static final String SWEEPS = "sweeps";

	static final String DANGLING = "dangling";

	private final HookChains chains;

	private final EffectBacklog backlog;

	private final S3Details s3;

	private final Clock clock;

	/**
	 * @param chains the hook chains of the mapped entity types
	 * @param backlog the durable effects' backlog, or {@literal null} when effects are off
	 * @param s3 the S3 references and sweeps, or {@literal null} without the S3 sync on the class path
	 * @param clock tells the age of the oldest effects
	 */
	public MutationHooksEndpoint(HookChains chains, EffectBacklog backlog, S3Details s3, Clock clock) {
		this.chains = Objects.requireNonNull(chains, "chains must not be null");
		this.backlog = backlog;
		this.s3 = s3;
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/** Everything: entity types with their hook chains, the effects' backlog, the swept buckets. */
	@ReadOperation
	public MutationHooksDescriptor mutationHooks() {
		List<UnknownRowsQuery> queries = this.chains.unknownRowsQueries();
		Map<String, EntityDescriptor> entities = new LinkedHashMap<>();
		for (Class<?> type : this.chains.entityTypes()) {
			entities.put(type.getName(), new EntityDescriptor(type.getSimpleName(), this.chains.hooksOf(type),
					this.chains.unknownRowsQueriesOf(type, queries),
					this.s3 != null ? this.s3.referencesOf(type) : List.of()));
		}
		return new MutationHooksDescriptor(entities, this.backlog != null ? effects(this.backlog.summary()) : null,
				this.s3 != null && this.s3.sweeps() ? this.s3.sweepsByBucket() : null);
	}

	/**
	 * A page of the effects with one status, the oldest request first.
	 * @param part {@code effects}
	 * @param status {@code pending}, {@code running}, {@code retrying} or {@code parked} (the default)
	 * @param page the page, from 0
	 * @param size the effects a page, from 1 to {@value #MAX_PAGE_SIZE}, {@value #DEFAULT_PAGE_SIZE} by default
	 * @throws NoSuchElementException if {@code part} is not {@code effects}, or effects are off
	 * @throws IllegalArgumentException if the status, page or size is not one
	 */
	@ReadOperation
	public EffectsPage effects(@Selector String part, @Nullable String status, @Nullable Integer page,
			@Nullable Integer size) {
		requirePart(part, EFFECTS);
		EffectBacklog effects = requireBacklog();
		EffectStatus listed = statusOf(status);
		int pageNumber = page != null ? page : 0;
		int pageSize = size != null ? size : DEFAULT_PAGE_SIZE;
		if (pageNumber < 0) {
			throw new IllegalArgumentException("page must be 0 or more, not " + pageNumber);
		}
		if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException("size must be from 1 to " + MAX_PAGE_SIZE + ", not " + pageSize);
		}
		long offset = (long) pageNumber * pageSize;
		if (offset > Integer.MAX_VALUE - pageSize) {
			throw new IllegalArgumentException("page " + pageNumber + " of size " + pageSize + " is too far");
		}
		long total = effects.summary()
			.stream()
			.filter(count -> count.status() == listed)
			.mapToLong(EffectCount::count)
			.sum();
		return new EffectsPage(listed, pageNumber, pageSize, total, effects.list(listed, (int) offset, pageSize));
	}

	/**
	 * A swept bucket's settings and last reports ({@code sweeps/{bucket}}), or what a look for dangling references
	 * in a bucket finds ({@code dangling/{bucket}}): it reads every row that refers to the bucket and asks S3 about
	 * each object, so it takes time on a large table.
	 * @throws NoSuchElementException if there is no such part or bucket
	 */
	@ReadOperation
	public OperationResponseBody bucket(@Selector String part, @Selector String bucket) {
		S3Details details = requireS3(part);
		return switch (part) {
			case SWEEPS -> details.sweepOf(bucket);
			case DANGLING -> new DanglingResult(details.dangling(bucket));
			default -> throw unknownPart(part, List.of(SWEEPS, DANGLING));
		};
	}

	/**
	 * Runs a parked effect again ({@code effects/{id}}), or sweeps a bucket ({@code sweeps/{bucket}}) in this
	 * thread: a dry run unless {@code mode} says {@code delete} or {@code quarantine}.
	 * @throws NoSuchElementException if there is no such part, parked effect or swept bucket
	 * @throws IllegalArgumentException if the mode is not one, or cannot sweep the bucket
	 * @throws io.mutationhooks.s3.sweep.SweepAlreadyRunningException if another run sweeps the bucket
	 */
	@WriteOperation
	public OperationResponseBody run(@Selector String part, @Selector String name, @Nullable String mode) {
		if (EFFECTS.equals(part)) {
			if (!requireBacklog().rerun(name)) {
				throw noParkedEffect(name);
			}
			return new EffectAction(name, "rerun");
		}
		if (SWEEPS.equals(part)) {
			SweepReport report = requireS3(part).sweep(name, mode);
			return new SweepResult(report.summary(), report);
		}
		throw unknownPart(part, List.of(EFFECTS, SWEEPS));
	}

	/**
	 * Discards a parked effect for good ({@code effects/{id}}), logging what it was.
	 * @throws NoSuchElementException if there is no such part or parked effect
	 */
	@DeleteOperation
	public EffectAction discard(@Selector String part, @Selector String name) {
		requirePart(part, EFFECTS);
		if (!requireBacklog().discard(name)) {
			throw noParkedEffect(name);
		}
		return new EffectAction(name, "discarded");
	}

	private EffectsDescriptor effects(List<EffectCount> counts) {
		Instant now = this.clock.instant();
		Map<EffectStatus, Long> totals = new EnumMap<>(EffectStatus.class);
		Arrays.stream(EffectStatus.values()).forEach(status -> totals.put(status, 0L));
		counts.forEach(count -> totals.merge(count.status(), count.count(), Long::sum));
		return new EffectsDescriptor(totals, counts.stream()
			.map(count -> new EffectCountDescriptor(count.effect(), count.status(), count.count(),
					count.oldestRequestedAt(), count.oldestRequestedAt() != null
							? Duration.between(count.oldestRequestedAt(), now) : null))
			.toList());
	}

	private EffectBacklog requireBacklog() {
		if (this.backlog == null) {
			throw new NoSuchElementException("Durable effects are off, so there is no effect backlog "
					+ "(mutation-hooks.effects.enabled, and db-scheduler on the class path)");
		}
		return this.backlog;
	}

	private S3Details requireS3(String part) {
		if (!SWEEPS.equals(part) && !DANGLING.equals(part)) {
			throw unknownPart(part, List.of(SWEEPS, DANGLING));
		}
		if (this.s3 == null) {
			throw new NoSuchElementException("The S3 sync is not on the class path, so no bucket is configured");
		}
		return this.s3;
	}

	private static void requirePart(String part, String expected) {
		if (!expected.equals(part)) {
			throw unknownPart(part, List.of(expected));
		}
	}

	private static NoSuchElementException unknownPart(String part, List<String> parts) {
		return new NoSuchElementException("No part " + SafeText.quote(part) + " here; use one of " + parts);
	}

	private static NoSuchElementException noParkedEffect(String id) {
		return new NoSuchElementException("No parked effect with id " + SafeText.quote(id)
				+ " (it may have run, been discarded, or not be parked)");
	}

	/** The status a request names, in any case; parked when it names none. */
	static EffectStatus statusOf(String status) {
		if (status == null || status.isBlank()) {
			return EffectStatus.PARKED;
		}
		try {
			return EffectStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Unknown effect status " + SafeText.quote(status) + "; use one of "
					+ Arrays.stream(EffectStatus.values()).map(value -> value.name().toLowerCase(Locale.ROOT)).toList());
		}
	}

	/**
	 * What the endpoint shows.
	 * @param entities each mapped entity type by its class name
	 * @param effects the effects' backlog; absent when durable effects are off
	 * @param sweeps each swept bucket by its name in configuration; absent when no bucket is swept
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record MutationHooksDescriptor(Map<String, EntityDescriptor> entities, EffectsDescriptor effects,
			Map<String, SweepDescriptor> sweeps) implements OperationResponseBody {

	}

	/**
	 * One mapped entity type.
	 * @param name its simple name
	 * @param hooks the hooks around its writes, in running order: the first runs outermost
	 * @param unknownRowsQueries its repositories' writing query methods whose rows hooks cannot know
	 * @param s3References the S3 references its aggregates hold
	 */
	public record EntityDescriptor(String name, List<HookDescriptor> hooks, List<QueryDescriptor> unknownRowsQueries,
			List<ReferenceDescriptor> s3References) {

	}

	/**
	 * One hook in a chain.
	 * @param name the bean that declared it; absent for a hook added without one
	 * @param type the class of the hook the guards run (lambdas named by the class that declared them); absent for
	 * one that a helper of {@code Hooks} made, which the description tells
	 * @param description what the hook is, as the start-up listing prints it
	 * @param order its {@code Ordered} or {@code @Order} value; absent for none (after the ordered ones, in
	 * declaration order)
	 * @param scope {@code global} or {@code entity}
	 * @param entityType the entity type an entity hook is scoped to: the type listed, for a hook that chooses its
	 * types itself (the S3 sync); absent for a global hook
	 * @param conditions the guards of {@code Hooks.on}, {@code unless} and {@code when} around it, outermost first
	 */
	public record HookDescriptor(String name, String type, String description, Integer order, String scope,
			String entityType, List<ConditionDescriptor> conditions) {

	}

	/**
	 * A guard around a hook.
	 * @param guard {@code on}, {@code unless} or {@code when}
	 * @param condition the operations ({@code CREATE|UPDATE_ONE}) or the condition ({@code hasFields(name)})
	 */
	public record ConditionDescriptor(String guard, String condition) {

	}

	/**
	 * A writing query method whose rows hooks cannot know.
	 * @param method the method, as {@code UserRepository.updateEmailByName(String, String)}
	 * @param operation the operation hooks see
	 */
	public record QueryDescriptor(String method, String operation) {

	}

	/**
	 * An S3 reference of an entity type.
	 * @param field the path from the aggregate root to the field, such as {@code photos.objectKey}
	 * @param bucket the bucket's name in configuration
	 * @param bucketName its real name in S3
	 * @param prefix the prefix every reference lives under, empty for none
	 * @param verifyOnWrite whether creates and updates check the object exists
	 * @param cleanup whether objects are deleted once no row refers to them
	 * @param sweep the bucket's sweep settings, {@literal null} when it is not swept
	 */
	public record ReferenceDescriptor(String field, String bucket, String bucketName, String prefix,
			boolean verifyOnWrite, boolean cleanup, SweepSettings sweep) {

	}

	/**
	 * How a bucket is swept.
	 * @param mode what a sweep does unless told otherwise: {@code dry-run}, {@code delete} or {@code quarantine}
	 * @param gracePeriod how old an object must be before a sweep may take it
	 * @param quarantinePrefix where quarantined objects go
	 * @param reportsKept how many reports are kept
	 */
	public record SweepSettings(String mode, Duration gracePeriod, String quarantinePrefix, int reportsKept) {

	}

	/**
	 * A swept bucket.
	 * @param bucketName its real name in S3
	 * @param prefix the prefix a sweep lists
	 * @param settings how it is swept
	 * @param lastReports the reports of its last runs, the newest first
	 */
	public record SweepDescriptor(String bucketName, String prefix, SweepSettings settings,
			List<SweepReport> lastReports) implements OperationResponseBody {

	}

	/**
	 * The effects' backlog.
	 * @param totals how many effects are in each status
	 * @param byEffect the counts by effect name and status, with the oldest request of each
	 */
	public record EffectsDescriptor(Map<EffectStatus, Long> totals, List<EffectCountDescriptor> byEffect) {

	}

	/**
	 * How many effects of one name are in one status.
	 * @param effect the effect's name, {@literal null} for stored records that cannot be read
	 * @param status where they are
	 * @param count how many
	 * @param oldestRequestedAt when the oldest was requested
	 * @param oldestAge how long ago that was
	 */
	public record EffectCountDescriptor(String effect, EffectStatus status, long count, Instant oldestRequestedAt,
			Duration oldestAge) {

	}

	/**
	 * A page of effects.
	 * @param status the status listed
	 * @param page the page, from 0
	 * @param size the most effects a page holds
	 * @param total how many effects have the status
	 * @param effects the effects of the page, the oldest request first
	 */
	public record EffectsPage(EffectStatus status, int page, int size, long total, List<EffectRecord> effects)
			implements OperationResponseBody {

	}

	/**
	 * What was done to a parked effect.
	 * @param id the effect's id
	 * @param action {@code rerun} or {@code discarded}
	 */
	public record EffectAction(String id, String action) implements OperationResponseBody {

	}

	/**
	 * A sweep that ran.
	 * @param summary the report in one line, as logged
	 * @param report the report
	 */
	public record SweepResult(String summary, SweepReport report) implements OperationResponseBody {

	}

	/**
	 * What a look for dangling references found.
	 * @param summary the report in one line
	 * @param report the report
	 */
	public record DanglingResult(String summary, DanglingReport report) implements OperationResponseBody {

		DanglingResult(DanglingReport report) {
			this(report.toString(), report);
		}

	}

}
