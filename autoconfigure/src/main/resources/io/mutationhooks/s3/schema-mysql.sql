-- The S3 sync's leases and claims (see docs/design.md, "S3: the shared-key race"), for MySQL and MariaDB. Every
-- statement is idempotent; indexes are declared in CREATE TABLE, since MySQL has no CREATE INDEX IF NOT EXISTS.
-- A key is found by its bucket and the SHA-256 of the key (hex): keys of up to 1024 bytes stay out of the indexes.
-- Times are UTC_TIMESTAMP(6) in DATETIME(6): the same on every connection, whatever its time zone.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_lease (
	lease_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(63) NOT NULL,
	key_hash VARCHAR(64) NOT NULL,
	object_key VARCHAR(1024) NOT NULL,
	created_at DATETIME(6) NOT NULL,
	expires_at DATETIME(6) NOT NULL,
	PRIMARY KEY (bucket, key_hash, lease_id),
	INDEX mutation_hooks_s3_lease_id (lease_id),
	INDEX mutation_hooks_s3_lease_expires (expires_at)
) ENGINE=InnoDB;
-- A cleanup's claim on keys it is about to delete, one row whatever its number of keys: their hashes, 8 bytes each,
-- sorted. deleted_at is set once the delete is done (or may be). Writes look for the claims of their bucket.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_claim (
	claim_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(63) NOT NULL,
	key_hashes LONGBLOB NOT NULL,
	created_at DATETIME(6) NOT NULL,
	deleted_at DATETIME(6) NULL,
	PRIMARY KEY (claim_id),
	INDEX mutation_hooks_s3_claim_bucket (bucket, deleted_at),
	INDEX mutation_hooks_s3_claim_created (created_at)
) ENGINE=InnoDB;
