package io.mutationhooks.effects.scheduler;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceException;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.function.SingletonSupplier;

import io.mutationhooks.core.SafeText;
import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectCount;
import io.mutationhooks.effects.EffectHandler;
import io.mutationhooks.effects.EffectRecord;
import io.mutationhooks.effects.EffectStatus;
import io.mutationhooks.effects.Effects;
import io.mutationhooks.transaction.MissedBeforeCommits;
import io.mutationhooks.transaction.RequiredBeforeCommit;
import io.mutationhooks.transaction.SavepointMarks;

/**
 * {@link Effects} stored as db-scheduler executions. Inside a Spring transaction, requests are gathered and written
 * just before it commits, through db-scheduler's transaction-aware data source, so they commit or roll back with the
 * write; requests of one effect become executions of up to the handler's batch size each. Once an effect has
 * {@value #STORED_AHEAD} requests (or a batch, if larger) waiting, its full batches are written at once, in the same
 * transaction, so that a transaction requesting a great many (the S3 cleanup of a {@code deleteAll()} of a large
 * table) holds a bounded number in memory. After commit the scheduler is woken, so the effect runs within
 * milliseconds instead of at the next poll.
 */
public final class SchedulerEffects implements Effects, EffectBacklog {

	private static final Logger logger = LoggerFactory.getLogger(SchedulerEffects.class);

	/** The order of listings: the oldest request first (records that cannot be read, which have none, before all), then by id. */
	private static final Comparator<EffectRecord> LISTING_ORDER = Comparator
		.comparing(EffectRecord::requestedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
		.thenComparing(EffectRecord::id);

	/**
	 * How many requests of one effect (not deduplicated) a transaction gathers before it writes their full batches
	 * ahead of its commit: enough that small transactions still write once, at commit, in one JDBC batch.
	 */
	static final int STORED_AHEAD = 1000;

	/**
	 * Ends the id of the second execution a deduplicated effect may have: the one requested while the first runs or
	 * is parked, which must run again after the request's commit.
	 */
	static final String FOLLOW_UP = ":next";

	/**
	 * Execution times from here on are parked effects' ({@link EffectRunner#PARKED_UNTIL}): far below it, so that no
	 * time zone a driver applies moves either across.
	 */
	private static final Timestamp PARKED_FROM = Timestamp.from(Instant.parse("9000-01-01T00:00:00Z"));

	/** How many of the requests that could not be stored after their transaction are named in the log. */
	private static final int LOGGED_REQUESTS = 20;

	private final Supplier<? extends SchedulerClient> scheduler;

	private final Runnable wakeUp;

	private final EffectHandlers handlers;

	private final JsonMapper payloadJson;

	private final Supplier<? extends TransactionOperations> newTransaction;

	private final Supplier<? extends DataSource> dataSource;

	/** db-scheduler's table, for the one read its client has no call for: a waiting execution, locked. */
	private final String tableName;

	/** The locking read of a waiting execution, made for the database on first use. */
	private final Supplier<String> holdWaiting;

	private final Supplier<JdbcTemplate> jdbc;

	/**
	 * @param scheduler the scheduler, looked up on first use
	 * @param wakeUp makes the scheduler look for due executions now
	 * @param handlers the handlers, to check requests against
	 * @param payloadJson writes payloads, with the application's JSON settings
	 * @param newTransaction runs in a new transaction, looked up on first use, for requests made once the current one has begun committing
	 * @param dataSource the data source the scheduler stores effects in, looked up on first use, to check that a
	 * transaction requesting an effect is a transaction on it
	 * @param tableName the table the scheduler stores its executions in
	 */
	public SchedulerEffects(Supplier<? extends SchedulerClient> scheduler, Runnable wakeUp, EffectHandlers handlers,
			JsonMapper payloadJson, Supplier<? extends TransactionOperations> newTransaction,
			Supplier<? extends DataSource> dataSource, String tableName) {
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
		this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp must not be null");
		this.handlers = Objects.requireNonNull(handlers, "handlers must not be null");
		this.payloadJson = Objects.requireNonNull(payloadJson, "payloadJson must not be null");
		this.newTransaction = Objects.requireNonNull(newTransaction, "newTransaction must not be null");
		Objects.requireNonNull(dataSource, "dataSource must not be null");
		// A transaction manager binds its connection to the DataSource behind a TransactionAwareDataSourceProxy.
		this.dataSource = SingletonSupplier.of(() -> dataSource.get() instanceof TransactionAwareDataSourceProxy proxy
				? proxy.getTargetDataSource() : dataSource.get());
		this.tableName = Objects.requireNonNull(tableName, "tableName must not be null");
		this.holdWaiting = SingletonSupplier.of(this::holdWaitingStatement);
		this.jdbc = SingletonSupplier.of(() -> new JdbcTemplate(this.dataSource.get()));
	}

	@Override
	public void request(String effect, Object payload) {
		record(new Request(effect, toJson(effect, payload), null));
	}

	@Override
	public void request(String effect, Object payload, String deduplicationKey) {
		Objects.requireNonNull(deduplicationKey, "deduplicationKey must not be null");
		record(new Request(effect, toJson(effect, payload), deduplicationKey));
	}

	private JsonNode toJson(String effect, Object payload) {
		Objects.requireNonNull(effect, "effect must not be null");
		Objects.requireNonNull(payload, "payload must not be null");
		EffectHandler<?> handler = this.handlers.named(effect)
			.orElseThrow(() -> new IllegalArgumentException("No EffectHandler is named '" + SafeText.quote(effect)
					+ "'; known effects: " + this.handlers.byName().keySet()));
		if (!handler.payloadType().isInstance(payload)) {
			throw new IllegalArgumentException("Effect '" + SafeText.quote(effect) + "' takes payloads of type "
					+ handler.payloadType().getName() + ", not " + payload.getClass().getName());
		}
		JsonNode json;
		try {
			json = this.payloadJson.valueToTree(payload);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("The payload of effect '" + SafeText.quote(effect)
					+ "' cannot be written as JSON: " + ex.getMessage(), ex);
		}
		if (json == null || json.isNull() || json.isMissingNode()) {
			throw new IllegalArgumentException("The payload of effect '" + SafeText.quote(effect)
					+ "' is written as JSON null (" + payload.getClass().getName()
					+ "'s serializer), which would reach the handler as null");
		}
		return json;
	}

	private void record(Request request) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			store(List.of(request));
			this.wakeUp.run();
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			// From an afterCompletion callback: the transaction is over, so the request goes in one of its own.
			storeInNewTransaction(List.of(request));
			return;
		}
		if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			throw new IllegalStateException("Effect '" + SafeText.quote(request.effect()) + "' was requested in a "
					+ "read-only transaction, which cannot store it; request it in a read-write one");
		}
		if (TransactionSynchronizationManager.getResource(this.dataSource.get()) == null) {
			throw new IllegalStateException("Effect '" + SafeText.quote(request.effect()) + "' was requested in a "
					+ "transaction that is not on the DataSource effects are stored in, so it could not commit or roll "
					+ "back with it; use a transaction manager on that DataSource");
		}
		Gathered gathered = (Gathered) TransactionSynchronizationManager.getResource(this);
		if (gathered == null) {
			gathered = new Gathered();
			TransactionSynchronizationManager.bindResource(this, gathered);
			TransactionSynchronizationManager.registerSynchronization(gathered);
		}
		gathered.add(request);
	}

	private void storeInNewTransaction(List<Request> requests) {
		try {
			this.newTransaction.get().executeWithoutResult(status -> store(requests));
		}
		catch (RuntimeException | Error ex) {
			// Nothing else holds them now, and an afterCompletion callback's failure is logged by Spring without them:
			// named here, so that they can be requested again.
			List<String> named = requests.stream()
				.limit(LOGGED_REQUESTS)
				.map(request -> SafeText.message(request.toString()))
				.toList();
			String more = requests.size() > named.size() ? "; and " + (requests.size() - named.size()) + " more" : "";
			logger.error("Could not store {} effect request(s) made after their transaction ended; they will not "
					+ "run: {}{}", requests.size(), String.join("; ", named), more, ex);
			throw ex;
		}
		this.wakeUp.run();
	}

	/**
	 * Writes requests as executions, in whatever transaction is current: one per deduplicated request (in id order,
	 * so that two transactions requesting the same keys take their rows' locks in the same order), else batched.
	 */
	private void store(List<Request> requests) {
		Instant now = Instant.now();
		List<TaskInstance<?>> batched = new ArrayList<>();
		Map<String, List<JsonNode>> byEffect = new LinkedHashMap<>();
		TreeMap<String, Request> deduplicated = new TreeMap<>();
		for (Request request : requests) {
			if (request.deduplicationKey() != null) {
				deduplicated.putIfAbsent(deduplicatedId(request.effect(), request.deduplicationKey()), request);
			}
			else {
				byEffect.computeIfAbsent(request.effect(), name -> new ArrayList<>()).add(request.payload());
			}
		}
		deduplicated.forEach((id, request) -> storeDeduplicated(id, request, now));
		byEffect.forEach((effect, payloads) -> {
			int batch = batchSize(effect);
			for (int from = 0; from < payloads.size(); from += batch) {
				List<JsonNode> chunk = payloads.subList(from, Math.min(from + batch, payloads.size()));
				batched.add(new TaskInstance<>(EffectRunner.TASK_NAME, UUID.randomUUID().toString(),
						StoredEffect.requested(effect, null, chunk, now)));
			}
		});
		if (!batched.isEmpty()) {
			// One JDBC batch of inserts: the ids are new, so no look for an existing one first.
			this.scheduler.get().scheduleBatch(batched, now);
		}
	}

	/**
	 * Stores a deduplicated request so that the effect runs after the request's transaction commits: merged into an
	 * execution of its key that waits to run, held until then, or else as a new one. Its key has two ids, the second
	 * for requests made while the first's execution runs (it may have read the state it acts on already) or is
	 * parked; a request that finds both running or parked is stored under an id of its own, not deduplicated.
	 */
	private void storeDeduplicated(String id, Request request, Instant now) {
		StoredEffect effect = StoredEffect.requested(request.effect(), request.deduplicationKey(),
				List.of(request.payload()), now);
		for (String slot : List.of(id, id + FOLLOW_UP)) {
			if (storeUnlessExists(new TaskInstance<>(EffectRunner.TASK_NAME, slot, effect), now) || holdIfWaiting(slot)) {
				return;
			}
		}
		logger.debug("Effect {} and its follow-up are running or parked: the request is stored on its own",
				SafeText.quote(id));
		this.scheduler.get().schedule(new TaskInstance<>(EffectRunner.TASK_NAME, UUID.randomUUID().toString(), effect),
				now);
	}

	/**
	 * Holds the execution {@code id} if it waits to run (neither picked to run nor parked), so that it runs only after
	 * the current transaction commits, and then sees what the transaction wrote: its row stays locked until the
	 * commit, and db-scheduler's pick, an {@code UPDATE}, waits for that. In a {@code REPEATABLE READ} transaction the
	 * locking read of a row changed since the transaction's snapshot (picked, or done and removed) fails on PostgreSQL;
	 * a savepoint keeps the transaction alive, and the row counts as not waiting.
	 * @return whether it was waiting
	 */
	private boolean holdIfWaiting(String id) {
		ConnectionHolder holder = currentConnection();
		Savepoint savepoint = holder != null ? savepointOrNull(holder) : null;
		boolean held;
		try {
			held = !this.jdbc.get()
				.queryForList(this.holdWaiting.get(), EffectRunner.TASK_NAME, id, false, PARKED_FROM)
				.isEmpty();
		}
		catch (DataAccessException ex) {
			if (savepoint == null) {
				throw ex;
			}
			rollbackTo(holder, savepoint);
			logger.debug("Effect {} could not be held ({}): the request goes to the next one", SafeText.quote(id),
					SafeText.message(ex.getMessage()));
			return false;
		}
		release(holder, savepoint);
		return held;
	}

	/** The connection of the current transaction on the effects' DataSource, or {@literal null} outside one. */
	private ConnectionHolder currentConnection() {
		return TransactionSynchronizationManager.isActualTransactionActive()
				? (ConnectionHolder) TransactionSynchronizationManager.getResource(this.dataSource.get()) : null;
	}

	/**
	 * A shared lock where the database has one, so that transactions merging into one execution do not wait for each
	 * other (on MariaDB they hold one already, from the insert that found the row: asking for an exclusive one then
	 * would deadlock two of them); H2 has only {@code FOR UPDATE}.
	 */
	private String holdWaitingStatement() {
		String product = this.jdbc.get().execute((ConnectionCallback<String>) connection -> connection.getMetaData()
			.getDatabaseProductName()).toLowerCase(Locale.ROOT);
		String lock = product.contains("postgres") ? "FOR SHARE"
				: product.contains("mysql") || product.contains("mariadb") ? "LOCK IN SHARE MODE" : "FOR UPDATE";
		return "SELECT task_instance FROM " + this.tableName + " WHERE task_name = ? AND task_instance = ?"
				+ " AND picked = ? AND execution_time < ? " + lock;
	}

	private int batchSize(String effect) {
		return Math.max(1, this.handlers.named(effect).map(EffectHandler::maxBatchSize).orElse(1));
	}

	/**
	 * Stores a deduplicated effect unless one with its id exists. Two transactions may insert the same id at once:
	 * the second insert waits for the first transaction and then fails on the primary key, which on PostgreSQL aborts
	 * the whole transaction. A savepoint around the insert keeps the writer's transaction alive, and a duplicate key
	 * then means that the effect exists.
	 * @return whether it was stored; {@literal false} if it exists, or may exist where the transaction cannot see it
	 */
	private boolean storeUnlessExists(TaskInstance<StoredEffect> instance, Instant now) {
		ConnectionHolder holder = currentConnection();
		for (int attempt = 1;; attempt++) {
			Savepoint savepoint = holder != null ? savepointOrNull(holder) : null;
			if (savepoint == null) {
				return this.scheduler.get().scheduleIfNotExists(instance, now);
			}
			boolean stored;
			try {
				stored = this.scheduler.get().scheduleIfNotExists(instance, now);
			}
			catch (RuntimeException ex) {
				rollbackTo(holder, savepoint);
				// PostgreSQL: db-scheduler's own look after the failed insert failed too, hiding the duplicate key, so
				// look again now that the savepoint has revived the transaction. MariaDB: the transaction's snapshot
				// hides the other row, but the duplicate key is in the chain. Found neither way, the row may have
				// been done and removed meanwhile: the insert is tried once more, then the slot counts as taken (a
				// snapshot may hide it), and the request goes on to the next, the last of which, with an id of its
				// own, fails the transaction if the failure was not the row.
				if (isDuplicateKey(ex) || attempt == 2 || this.scheduler.get()
					.getScheduledExecution(TaskInstanceId.of(EffectRunner.TASK_NAME, instance.getId()))
					.isPresent()) {
					logger.debug("Effect {} exists already, stored by another transaction (or hidden from this one)",
							SafeText.quote(instance.getId()));
					return false;
				}
				continue;
			}
			release(holder, savepoint);
			return stored;
		}
	}

	private static Savepoint savepointOrNull(ConnectionHolder holder) {
		try {
			return holder.supportsSavepoints() ? holder.createSavepoint() : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	private static void release(ConnectionHolder holder, Savepoint savepoint) {
		if (savepoint == null) {
			return;
		}
		try {
			holder.getConnection().releaseSavepoint(savepoint);
		}
		catch (SQLException ex) {
			// Some drivers cannot release one; it goes with the transaction anyway.
		}
	}

	private static void rollbackTo(ConnectionHolder holder, Savepoint savepoint) {
		try {
			holder.getConnection().rollback(savepoint);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not roll back to the savepoint of a deduplicated effect", ex);
		}
	}

	private static boolean isDuplicateKey(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
				return true;
			}
		}
		return false;
	}

	/** The execution id of a deduplicated effect: a hash, since keys may be longer than the id column. */
	static String deduplicatedId(String effect, String key) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(effect.getBytes(StandardCharsets.UTF_8));
			sha256.update((byte) 0);
			sha256.update(key.getBytes(StandardCharsets.UTF_8));
			return "key:" + HexFormat.of().formatHex(sha256.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	@Override
	public List<EffectRecord> list(EffectStatus status, int limit) {
		return list(status, 0, limit);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Reads every stored effect once and keeps at most {@code offset + limit} of them at a time.
	 */
	@Override
	public List<EffectRecord> list(EffectStatus status, int offset, int limit) {
		Objects.requireNonNull(status, "status must not be null");
		if (offset < 0) {
			throw new IllegalArgumentException("offset must not be negative, not " + offset);
		}
		int kept = (int) Math.min((long) offset + Math.max(limit, 0), Integer.MAX_VALUE);
		if (kept == 0) {
			return List.of();
		}
		// The newest of those kept on top, so that an older one takes its place.
		PriorityQueue<EffectRecord> oldest = new PriorityQueue<>(LISTING_ORDER.reversed());
		this.scheduler.get()
			.fetchScheduledExecutionsForTask(EffectRunner.TASK_NAME, StoredEffect.class, ScheduledExecutionsFilter.all(),
					execution -> {
				EffectRecord record = toRecord(execution);
				if (record.status() == status) {
					oldest.add(record);
					if (oldest.size() > kept) {
						oldest.poll();
					}
				}
			});
		List<EffectRecord> records = new ArrayList<>(oldest);
		records.sort(LISTING_ORDER);
		return List.copyOf(records.subList(Math.min(offset, records.size()), records.size()));
	}

	@Override
	public List<EffectCount> summary() {
		Map<String, Map<EffectStatus, EffectCount>> counts = new TreeMap<>(
				Comparator.nullsFirst(Comparator.naturalOrder()));
		this.scheduler.get()
			.fetchScheduledExecutionsForTask(EffectRunner.TASK_NAME, StoredEffect.class, ScheduledExecutionsFilter.all(),
					execution -> {
				EffectRecord record = toRecord(execution);
				counts.computeIfAbsent(record.effect(), effect -> new EnumMap<>(EffectStatus.class))
					.merge(record.status(), new EffectCount(record.effect(), record.status(), 1, record.requestedAt()),
							SchedulerEffects::add);
			});
		return counts.values().stream().flatMap(byStatus -> byStatus.values().stream()).toList();
	}

	private static EffectCount add(EffectCount counted, EffectCount one) {
		Instant oldest = counted.oldestRequestedAt() == null ? one.oldestRequestedAt()
				: one.oldestRequestedAt() == null || counted.oldestRequestedAt().isBefore(one.oldestRequestedAt())
						? counted.oldestRequestedAt() : one.oldestRequestedAt();
		return new EffectCount(counted.effect(), counted.status(), counted.count() + one.count(), oldest);
	}

	private static EffectRecord toRecord(ScheduledExecution<StoredEffect> execution) {
		String id = execution.getTaskInstance().getId();
		StoredEffect effect;
		try {
			effect = execution.getData();
		}
		catch (RuntimeException ex) {
			return new EffectRecord(id, null, null, List.of(), EffectStatus.PARKED, 0,
					"Stored record cannot be read: " + ex.getMessage(), null, null, null, null);
		}
		EffectStatus status = effect.isParked() ? EffectStatus.PARKED
				: execution.isPicked() ? EffectStatus.RUNNING
						: effect.attempts() > 0 ? EffectStatus.RETRYING : EffectStatus.PENDING;
		return new EffectRecord(id, effect.effect(), effect.deduplicationKey(),
				effect.payloads().stream().map(JsonNode::toString).toList(), status, effect.attempts(),
				effect.lastError(), effect.requestedAt(), effect.lastAttemptAt(),
				status == EffectStatus.PARKED ? null : execution.getExecutionTime(), effect.parkedAt());
	}

	@Override
	public boolean rerun(String id) {
		Optional<StoredEffect> parked = parked(id);
		if (parked.isEmpty()) {
			return false;
		}
		boolean rescheduled;
		try {
			rescheduled = this.scheduler.get()
				.reschedule(TaskInstanceId.of(EffectRunner.TASK_NAME, id), Instant.now(), parked.get().rerun());
		}
		catch (TaskInstanceException ex) {
			// Picked or removed since it was read (another operator, another instance): no parked effect any more.
			return false;
		}
		if (rescheduled) {
			logger.info("Running parked effect {} ({}) again", SafeText.quote(id), SafeText.quote(parked.get().effect()));
			this.wakeUp.run();
		}
		return rescheduled;
	}

	@Override
	public boolean discard(String id) {
		Optional<ScheduledExecution<Object>> execution = this.scheduler.get()
			.getScheduledExecution(TaskInstanceId.of(EffectRunner.TASK_NAME, id))
			.filter(found -> !found.isPicked());
		if (execution.isEmpty()) {
			return false;
		}
		StoredEffect effect;
		try {
			effect = (StoredEffect) execution.get().getData();
		}
		catch (RuntimeException unreadable) {
			// A record no one can read can only be discarded: it is parked where no poll reaches it.
			if (!cancel(id)) {
				return false;
			}
			logger.warn("Discarded parked effect {}, whose stored record could not be read", SafeText.quote(id));
			return true;
		}
		if (effect == null || !effect.isParked() || !cancel(id)) {
			return false;
		}
		logger.warn("Discarded parked effect {} ({}, {} attempt(s), last error {}): payloads {}", SafeText.quote(id),
				SafeText.quote(effect.effect()), effect.attempts(), SafeText.message(effect.lastError()),
				SafeText.message(effect.payloads().toString()));
		return true;
	}

	/** Removes the execution {@code id}; {@literal false} if it was picked or removed since it was read. */
	private boolean cancel(String id) {
		try {
			this.scheduler.get().cancel(TaskInstanceId.of(EffectRunner.TASK_NAME, id));
			return true;
		}
		catch (TaskInstanceException ex) {
			return false;
		}
	}

	private Optional<StoredEffect> parked(String id) {
		return this.scheduler.get()
			.getScheduledExecution(TaskInstanceId.of(EffectRunner.TASK_NAME, id))
			.filter(execution -> !execution.isPicked())
			.flatMap(execution -> {
				try {
					return Optional.ofNullable((StoredEffect) execution.getData());
				}
				catch (RuntimeException unreadable) {
					return Optional.empty();
				}
			})
			.filter(StoredEffect::isParked);
	}

	private record Request(String effect, JsonNode payload, String deduplicationKey) {

		@Override
		public String toString() {
			return "effect '" + SafeText.quote(this.effect) + "'" + (this.deduplicationKey != null
					? " with deduplication key '" + SafeText.quote(this.deduplicationKey) + "'" : "") + ", payload "
					+ this.payload;
		}

	}

	/**
	 * The requests of one transaction, written just before it commits, after every other synchronization has had its
	 * say; a transaction's own requests stay with it when a {@code REQUIRES_NEW} one suspends it. Requests made from
	 * another synchronization's beforeCommit after this one's go straight in, as do those of before-commit work that
	 * {@link MissedBeforeCommits} runs; if this one was registered too late for its own beforeCommit (its first
	 * request came from another's beforeCommit), {@link MissedBeforeCommits} writes them right before the commit.
	 * Requests made once the transaction is past writing them (from beforeCompletion or afterCommit, or with a
	 * transaction manager that has no {@link MissedBeforeCommits}) are written, if it committed, in a transaction of
	 * their own.
	 * <p>
	 * A rollback to a savepoint (a {@code NESTED} transaction's, or one made through {@code TransactionStatus})
	 * takes back the requests made since: Spring tells this synchronization of savepoints and of rollbacks to them,
	 * and the requests still in memory are cut back to where they were. Requests made before a savepoint are kept in
	 * memory until the commit (never written ahead after it), since rolling back to it would take their rows back
	 * too.
	 */
	private final class Gathered extends RequiredBeforeCommit {

		private final List<Request> pending = new ArrayList<>();

		private boolean completing;

		private boolean storedAny;

		/**
		 * How many requests of each effect, not deduplicated, made since the latest savepoint, wait in
		 * {@link #pending}.
		 */
		private final Map<String, Integer> waiting = new HashMap<>();

		/**
		 * The size of {@link #pending} at each savepoint made since this was registered: the requests before the
		 * latest one's were made before a savepoint that may be rolled back to, and stay in memory until the commit.
		 */
		private final SavepointMarks savepoints = new SavepointMarks();

		void add(Request request) {
			// Requested by before-commit work run late: the transaction has not committed yet.
			if (ranBeforeCommit() && (!this.completing || RequiredBeforeCommit.isRunningLate())) {
				store(List.of(request));
				this.storedAny = true;
			}
			else {
				this.pending.add(request);
				if (!ranBeforeCommit() && request.deduplicationKey() == null) {
					storeFullBatchesIfMany(request.effect());
				}
			}
		}

		/**
		 * Writes the full batches of {@code effect} now, in the transaction, once it has many requests waiting since
		 * the last savepoint; the rest of a batch waits for more, or for the commit. What is written rolls back with
		 * the transaction, or with a savepoint made before it.
		 */
		private void storeFullBatchesIfMany(String effect) {
			int count = this.waiting.merge(effect, 1, Integer::sum);
			int batch = batchSize(effect);
			if (count < Math.max(batch, STORED_AHEAD)) {
				return;
			}
			int toStore = count / batch * batch;
			List<Request> full = new ArrayList<>(toStore);
			List<Request> since = this.pending.subList(this.savepoints.latest(0), this.pending.size());
			List<Request> kept = new ArrayList<>(since.size() - toStore);
			for (Request request : since) {
				boolean ofEffect = request.deduplicationKey() == null && request.effect().equals(effect);
				(ofEffect && full.size() < toStore ? full : kept).add(request);
			}
			since.clear();
			this.pending.addAll(kept);
			this.waiting.put(effect, count - toStore);
			store(full);
			this.storedAny = true;
		}

		@Override
		public void savepoint(Object savepoint) {
			this.savepoints.made(savepoint, this.pending.size());
			this.waiting.clear();
		}

		/**
		 * Takes back the requests made since {@code savepoint}: all of them if it is older than this synchronization
		 * (registered by the first request after it).
		 */
		@Override
		public void savepointRollback(Object savepoint) {
			int kept = Math.min(this.savepoints.rolledBackTo(savepoint, 1)[0], this.pending.size());
			this.pending.subList(kept, this.pending.size()).clear();
			this.waiting.clear();
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

		@Override
		public void suspend() {
			TransactionSynchronizationManager.unbindResourceIfPossible(SchedulerEffects.this);
		}

		@Override
		public void resume() {
			TransactionSynchronizationManager.bindResource(SchedulerEffects.this, this);
		}

		@Override
		protected void runBeforeCommit() {
			if (!this.pending.isEmpty()) {
				store(List.copyOf(this.pending));
				this.pending.clear();
				this.storedAny = true;
			}
		}

		@Override
		public void beforeCompletion() {
			this.completing = true;
		}

		@Override
		public void afterCommit() {
			if (this.storedAny) {
				wakeUp.run();
			}
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(SchedulerEffects.this);
			if (status == STATUS_COMMITTED && !this.pending.isEmpty()) {
				// Registered too late for beforeCommit, or requested after it: the write committed, so they follow.
				storeInNewTransaction(List.copyOf(this.pending));
			}
		}

	}

}
