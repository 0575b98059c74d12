-- The S3 sync's leases and tombstones (see docs/design.md, "S3: the shared-key race"). Every statement is idempotent.
-- A key is found by its bucket and the SHA-256 of the key (hex): keys of up to 1024 bytes stay out of the indexes.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_lease (
	lease_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(63) NOT NULL,
	key_hash VARCHAR(64) NOT NULL,
	object_key VARCHAR(1024) NOT NULL,
	created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	PRIMARY KEY (bucket, key_hash, lease_id)
);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_lease_id ON mutation_hooks_s3_lease (lease_id);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_lease_expires ON mutation_hooks_s3_lease (expires_at);
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_tombstone (
	claim_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(63) NOT NULL,
	key_hash VARCHAR(64) NOT NULL,
	object_key VARCHAR(1024) NOT NULL,
	created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	deleted_at TIMESTAMP(6) WITH TIME ZONE,
	PRIMARY KEY (bucket, key_hash, claim_id)
);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_tombstone_created ON mutation_hooks_s3_tombstone (created_at);
-- A claim marks and removes its own tombstones: without this index each of those statements reads them all.
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_tombstone_claim ON mutation_hooks_s3_tombstone (claim_id);
