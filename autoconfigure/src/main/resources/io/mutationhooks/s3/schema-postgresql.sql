-- The S3 sync's leases and claims (see docs/design.md, "S3: the shared-key race"). Every statement is idempotent.
-- A key is found by its bucket and the SHA-256 of the key (hex): keys of up to 1024 bytes stay out of the indexes.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_lease (
	lease_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(63) NOT NULL,
	key_hash VARCHAR(64) NOT NULL,
	object_key VARCHAR(1024) NOT NULL,
	created_at TIMESTAMPTZ(6) NOT NULL,
	expires_at TIMESTAMPTZ(6) NOT NULL,
	PRIMARY KEY (bucket, key_hash, lease_id)
);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_lease_id ON mutation_hooks_s3_lease (lease_id);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_lease_expires ON mutation_hooks_s3_lease (expires_at);
-- A cleanup's claim on keys it is about to delete: one row per claim, marked deleted_at once its delete is done
-- (or may be), so that a claim of 1000 keys is marked with one update.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_claim (
	claim_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(63) NOT NULL,
	created_at TIMESTAMPTZ(6) NOT NULL,
	deleted_at TIMESTAMPTZ(6),
	PRIMARY KEY (claim_id)
);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_claim_created ON mutation_hooks_s3_claim (created_at);
-- The keys of a claim (its tombstones), found by writes by bucket and key hash.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_claim_key (
	bucket VARCHAR(63) NOT NULL,
	key_hash VARCHAR(64) NOT NULL,
	claim_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (bucket, key_hash, claim_id)
);
-- A claim removes its own keys, and the purge a claim's: without this index each of those statements reads all.
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_claim_key_claim ON mutation_hooks_s3_claim_key (claim_id);
