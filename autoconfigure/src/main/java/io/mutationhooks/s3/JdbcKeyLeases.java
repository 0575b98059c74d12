package io.mutationhooks.s3;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.s3.S3Bucket.S3Object;

/**
 * {@link KeyLeases} and {@link DeletionClaims} in two tables of the application's database, {@value #LEASES} and
 * {@value #CLAIMS} (created by {@code io/mutationhooks/s3/schema-<database>.sql}), each step in a short transaction of
 * its own on a connection of its own, every time taken from the database's clock. The protocol, and why it is safe,
 * is in {@code docs/design.md}, "S3: the shared-key race".
 * <p>
 * A lease is a row per leased key; it lives until its write releases it, or for the lease timeout. A claim is one row
 * whatever its number of keys (their hashes in one column, {@link ClaimedKeys}), marked once its delete is done, and
 * kept for twice the lease timeout, so that every write that leased a key before the delete sees it before its lease
 * runs out.
 */
public final class JdbcKeyLeases implements KeyLeases, DeletionClaims {

	static final String LEASES = "mutation_hooks_s3_lease";

	static final String CLAIMS = "mutation_hooks_s3_claim";

	private static final int VALUES_PER_STATEMENT = 500;

	private static final Duration LONGEST_PURGE_INTERVAL = Duration.ofMinutes(1);

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final StillReferenced stillReferenced;

	private final DatabaseClock clock;

	private final long leaseMillis;

	private final long purgeIntervalNanos;

	/** When the next purge is due, in {@link System#nanoTime()}; the first claim purges. */
	private final AtomicLong nextPurge = new AtomicLong(System.nanoTime());

	/**
	 * @param dataSource the database of the rows that refer to objects; each step takes a connection of its own from it
	 * @param dialect the database's dialect, which tells how to read its clock
	 * @param stillReferenced which keys rows refer to, read on the same data source
	 * @param leaseTimeout how long a lease outlives its write at most, if the write never releases it: longer than any
	 * transaction that checks a reference takes, from the check to the commit
	 */
	public JdbcKeyLeases(DataSource dataSource, Dialect dialect, StillReferenced stillReferenced,
			Duration leaseTimeout) {
		Objects.requireNonNull(dataSource, "dataSource must not be null");
		if (leaseTimeout == null || leaseTimeout.isNegative() || leaseTimeout.isZero()) {
			throw new IllegalArgumentException("leaseTimeout must be positive, not " + leaseTimeout);
		}
		this.jdbc = new NamedParameterJdbcTemplate(dataSource);
		this.ownTransaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.stillReferenced = Objects.requireNonNull(stillReferenced, "stillReferenced must not be null");
		this.clock = DatabaseClock.of(dialect);
		this.leaseMillis = leaseTimeout.toMillis();
		this.purgeIntervalNanos = Math.min(leaseTimeout.toNanos(), LONGEST_PURGE_INTERVAL.toNanos());
	}

	// The writer's side.

	@Override
	public Lease lease(Collection<S3Object> objects) {
		Set<S3Object> leased = new LinkedHashSet<>(objects);
		if (leased.isEmpty()) {
			throw new IllegalArgumentException("objects must not be empty");
		}
		String id = UUID.randomUUID().toString();
		String sql = "INSERT INTO " + LEASES + " (lease_id, bucket, key_hash, object_key, created_at, expires_at) "
				+ "VALUES (:id, :bucket, :hash, :key, " + this.clock.now() + ", " + this.clock.plusMillis("timeout")
				+ ")";
		SqlParameterSource[] rows = leased.stream()
			.map(object -> row(object).addValue("id", id).addValue("timeout", this.leaseMillis))
			.toArray(SqlParameterSource[]::new);
		inOwnTransaction(() -> this.jdbc.batchUpdate(sql, rows));
		return new Lease(id, leased);
	}

	/**
	 * A claim on a leased key refuses it unless the claim was marked deleted before the lease was taken: the write then
	 * checked the object after the delete. A lease refuses its keys once less than a tenth of its time is left, so
	 * that the commit that follows cannot outlast it.
	 * <p>
	 * The claims are read first, once per bucket: those unmarked or marked since the earliest of the leases' rows in
	 * that bucket (earlier than a lease's own time, so more claims, never fewer). The lease rows are read after them:
	 * a row is only ever deleted, so one still there in the second read was there for the first; a key whose row is
	 * gone by then (purged, its lease run out) is refused as run out, whatever the first read found.
	 */
	@Override
	public Map<S3Object, Refusal> refusals(Collection<Lease> leases) {
		Map<String, Lease> byId = new LinkedHashMap<>();
		leases.forEach(lease -> byId.put(lease.id(), lease));
		if (byId.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> leaseIdsByBucket = new LinkedHashMap<>();
		byId.values()
			.forEach(lease -> lease.objects()
				.forEach(object -> {
					List<String> ids = leaseIdsByBucket.computeIfAbsent(object.bucket(), bucket -> new ArrayList<>());
					if (!ids.contains(lease.id())) {
						ids.add(lease.id());
					}
				}));
		// An unmarked claim older than twice the lease timeout refuses nothing, as if purged: its delete, sent while
		// it was younger than half the timeout, came before or after any write that can still commit.
		String claimsSinceLeases = "SELECT key_hashes FROM " + CLAIMS + " WHERE bucket = :bucket AND ((deleted_at IS "
				+ "NULL AND created_at >= " + this.clock.plusMillis("retention") + ") OR deleted_at >= (SELECT "
				+ "MIN(created_at) FROM " + LEASES + " WHERE bucket = :bucket AND lease_id IN (:ids)))";
		String leaseRows = "SELECT lease_id, bucket, key_hash, CASE WHEN expires_at > " + this.clock.plusMillis("margin")
				+ " THEN 0 ELSE 1 END AS expired FROM " + LEASES + " WHERE lease_id IN (:ids)";
		Map<String, List<ClaimedKeys>> claimsByBucket = new HashMap<>();
		// False for a live lease not run out; no entry for one purged since it ran out.
		Map<LeasedKey, Boolean> expired = new HashMap<>();
		inOwnTransaction(() -> {
			leaseIdsByBucket.forEach((bucket, ids) -> {
				for (List<String> chunk : chunks(ids)) {
					claimsByBucket.computeIfAbsent(bucket, name -> new ArrayList<>())
						.addAll(this.jdbc.query(claimsSinceLeases,
								Map.of("bucket", bucket, "ids", chunk, "retention", -2 * this.leaseMillis),
								(row, number) -> readKeys(row, "key_hashes")));
				}
			});
			for (List<String> ids : chunks(new ArrayList<>(byId.keySet()))) {
				this.jdbc.query(leaseRows, Map.of("ids", ids, "margin", this.leaseMillis / 10), row -> {
					expired.put(new LeasedKey(row.getString("lease_id"), row.getString("bucket"),
							row.getString("key_hash")), row.getInt("expired") == 1);
				});
			}
			return null;
		});
		Map<S3Object, Refusal> refusals = new LinkedHashMap<>();
		for (Lease lease : byId.values()) {
			for (S3Object object : lease.objects()) {
				Boolean ranOut = expired.get(new LeasedKey(lease.id(), object.bucket(), hash(object.key())));
				boolean beingDeleted = claimsByBucket.getOrDefault(object.bucket(), List.of())
					.stream()
					.anyMatch(keys -> keys.contains(object.key()));
				if (ranOut == null || ranOut) {
					refusals.putIfAbsent(object, Refusal.LEASE_EXPIRED);
				}
				if (beingDeleted) {
					refusals.put(object, Refusal.BEING_DELETED);
				}
			}
		}
		return refusals;
	}

	@Override
	public void release(Collection<Lease> leases) {
		List<String> ids = leases.stream().map(Lease::id).distinct().toList();
		if (ids.isEmpty()) {
			return;
		}
		inOwnTransaction(() -> {
			for (List<String> chunk : chunks(ids)) {
				this.jdbc.update("DELETE FROM " + LEASES + " WHERE lease_id IN (:ids)", Map.of("ids", chunk));
			}
			return null;
		});
	}

	// The cleanup's side.

	/**
	 * Writes the claim of the keys no live lease holds and commits it; then, in a second transaction, reads the live
	 * leases of those keys again and the rows that refer to them, and takes back from the claim the keys it postpones
	 * or keeps. A write whose lease the second read missed committed its lease after the claim, so it finds the claim
	 * before it commits. Keys leased already at the first read are postponed without being claimed, so that the
	 * retries of a key a long write holds never refuse that write.
	 */
	@Override
	public Claim claimForDeletion(S3Bucket bucket, Collection<String> keys) {
		Objects.requireNonNull(bucket, "bucket must not be null");
		List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
		String id = UUID.randomUUID().toString();
		if (distinct.isEmpty()) {
			return new Claim(id, bucket, List.of(), List.of(), List.of());
		}
		purgeIfDue();
		Map<String, String> hashes = new LinkedHashMap<>();
		distinct.forEach(key -> hashes.put(key, hash(key)));
		String insert = "INSERT INTO " + CLAIMS + " (claim_id, bucket, key_hashes, created_at) VALUES (:id, :bucket, "
				+ ":keys, " + this.clock.now() + ")";
		List<String> claimed = inOwnTransaction(() -> {
			Set<String> leased = leased(bucket, distinct, hashes);
			List<String> unleased = distinct.stream().filter(key -> !leased.contains(key)).toList();
			if (!unleased.isEmpty()) {
				this.jdbc.update(insert, Map.of("id", id, "bucket", bucket.name(), "keys",
						ClaimedKeys.of(unleased).toBytes()));
			}
			return unleased;
		});
		if (claimed.isEmpty()) {
			return new Claim(id, bucket, List.of(), distinct, List.of());
		}
		try {
			return inOwnTransaction(() -> {
				Set<String> leased = leased(bucket, claimed, hashes);
				List<String> unleased = claimed.stream().filter(key -> !leased.contains(key)).toList();
				Set<String> referenced = unleased.isEmpty() ? Set.of() : this.stillReferenced.among(bucket, unleased);
				List<String> kept = unleased.stream().filter(referenced::contains).toList();
				List<String> deletable = unleased.stream().filter(key -> !referenced.contains(key)).toList();
				Set<String> settled = new HashSet<>(kept);
				settled.addAll(deletable);
				List<String> postponed = distinct.stream().filter(key -> !settled.contains(key)).toList();
				if (deletable.size() < claimed.size()) {
					narrowClaim(id, deletable);
				}
				return new Claim(id, bucket, deletable, postponed, kept);
			});
		}
		catch (RuntimeException ex) {
			// Nothing will be deleted: take the claim back, or it refuses writes of these keys until purged.
			try {
				inOwnTransaction(() -> {
					narrowClaim(id, List.of());
					return null;
				});
			}
			catch (RuntimeException removal) {
				ex.addSuppressed(removal);
			}
			throw ex;
		}
	}

	/**
	 * Marks the claim deleted with the time of the mark, after the delete: a write that leased one of its keys at or
	 * before it may have checked the object before it was deleted, and is refused; one that leased it later checked
	 * after the delete. The keys S3 answered it did not delete leave the claim first; the claim goes if none is left.
	 */
	@Override
	public void deleted(Claim claim, Collection<String> deletedKeys) {
		Objects.requireNonNull(claim, "claim must not be null");
		if (claim.deletable().isEmpty()) {
			return;
		}
		Set<String> deleted = new LinkedHashSet<>(deletedKeys);
		List<String> marked = claim.deletable().stream().filter(deleted::contains).toList();
		inOwnTransaction(() -> {
			if (marked.size() < claim.deletable().size()) {
				narrowClaim(claim.id(), marked);
			}
			if (!marked.isEmpty()) {
				this.jdbc.update("UPDATE " + CLAIMS + " SET deleted_at = " + this.clock.now() + " WHERE claim_id = :id",
						Map.of("id", claim.id()));
			}
			return null;
		});
	}

	/** Reads the claim's row: there, unmarked and younger than half the lease timeout. */
	@Override
	public boolean holds(Claim claim) {
		Objects.requireNonNull(claim, "claim must not be null");
		Long found = inOwnTransaction(() -> this.jdbc.queryForObject("SELECT COUNT(*) FROM " + CLAIMS
				+ " WHERE claim_id = :id AND deleted_at IS NULL AND created_at > " + this.clock.plusMillis("age"),
				Map.of("id", claim.id(), "age", -this.leaseMillis / 2), Long.class));
		return found != null && found > 0;
	}

	@Override
	public Duration preparationTime() {
		return Duration.ofMillis(this.leaseMillis / 4);
	}

	/**
	 * Deletes the leases that ran out and the claims no write can need any more: older than twice the lease timeout,
	 * counted from the mark of a deleted claim, or from the claim itself if its cleanup never reported.
	 */
	public void purgeExpired() {
		inOwnTransaction(() -> {
			this.jdbc.update("DELETE FROM " + LEASES + " WHERE expires_at < " + this.clock.now(), Map.of());
			String before = this.clock.plusMillis("retention");
			this.jdbc.update("DELETE FROM " + CLAIMS + " WHERE created_at < " + before
					+ " AND (deleted_at IS NULL OR deleted_at < " + before + ")",
					Map.of("retention", -2 * this.leaseMillis));
			return null;
		});
	}

	private void purgeIfDue() {
		long due = this.nextPurge.get();
		if (System.nanoTime() - due >= 0 && this.nextPurge.compareAndSet(due, System.nanoTime() + this.purgeIntervalNanos)) {
			purgeExpired();
		}
	}

	/** Those of {@code keys} a live lease holds; {@code hashes} has the hash of each key. */
	private Set<String> leased(S3Bucket bucket, List<String> keys, Map<String, String> hashes) {
		Map<String, String> keyByHash = new HashMap<>();
		keys.forEach(key -> keyByHash.put(hashes.get(key), key));
		String sql = "SELECT DISTINCT key_hash FROM " + LEASES + " WHERE bucket = :bucket AND key_hash IN (:hashes) "
				+ "AND expires_at > " + this.clock.now();
		Set<String> leased = new HashSet<>();
		for (List<String> chunk : chunks(new ArrayList<>(keyByHash.keySet()))) {
			this.jdbc.queryForList(sql, Map.of("bucket", bucket.name(), "hashes", chunk), String.class)
				.forEach(hash -> leased.add(keyByHash.get(hash)));
		}
		return leased;
	}

	/** Leaves only {@code keys} in a claim, or removes it if there are none. */
	private void narrowClaim(String claimId, List<String> keys) {
		if (keys.isEmpty()) {
			this.jdbc.update("DELETE FROM " + CLAIMS + " WHERE claim_id = :id", Map.of("id", claimId));
		}
		else {
			this.jdbc.update("UPDATE " + CLAIMS + " SET key_hashes = :keys WHERE claim_id = :id",
					Map.of("id", claimId, "keys", ClaimedKeys.of(keys).toBytes()));
		}
	}

	private static ClaimedKeys readKeys(ResultSet row, String column) {
		try {
			return ClaimedKeys.fromBytes(row.getBytes(column));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the keys of a claim", ex);
		}
	}

	private static MapSqlParameterSource row(S3Object object) {
		return new MapSqlParameterSource().addValue("bucket", object.bucket())
			.addValue("hash", hash(object.key()))
			.addValue("key", object.key());
	}

	/** Runs {@code work} in a new transaction on a connection of its own, committed when it returns. */
	private <T> T inOwnTransaction(Supplier<T> work) {
		try {
			return this.ownTransaction.execute(status -> work.get());
		}
		catch (BadSqlGrammarException ex) {
			throw new IllegalStateException("The S3 sync's tables " + LEASES + " and " + CLAIMS + " cannot be used; are they created? " + this.clock.schemaLocation() + " creates them: "
					+ ex.getMessage(), ex);
		}
	}

	/** A row of the lease table. */
	private record LeasedKey(String leaseId, String bucket, String keyHash) {
	}

	private static <T> List<List<T>> chunks(List<T> values) {
		List<List<T>> chunks = new ArrayList<>();
		for (int from = 0; from < values.size(); from += VALUES_PER_STATEMENT) {
			chunks.add(values.subList(from, Math.min(from + VALUES_PER_STATEMENT, values.size())));
		}
		return chunks;
	}

	/** The SHA-256 of a key in hex: the indexed stand-in for keys of up to 1024 bytes. */
	static String hash(String key) {
		return HexFormat.of().formatHex(ClaimedKeys.sha256(key));
	}

}
