-- The S3 sync's leases and claims (see docs/design.md, "S3: the shared-key race") and the orphan sweeper's progress
-- and reports. Every statement is idempotent.
-- A key is found by its bucket and the SHA-256 of the key (hex): keys of up to 1024 bytes stay out of the indexes.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_lease (
	lease_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(255) NOT NULL,
	key_hash VARCHAR(64) NOT NULL,
	object_key VARCHAR(1024) NOT NULL,
	created_at TIMESTAMPTZ(6) NOT NULL,
	expires_at TIMESTAMPTZ(6) NOT NULL,
	PRIMARY KEY (bucket, key_hash, lease_id)
);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_lease_id ON mutation_hooks_s3_lease (lease_id);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_lease_expires ON mutation_hooks_s3_lease (expires_at);
-- A cleanup's claim on keys it is about to delete, one row whatever its number of keys: their hashes, 8 bytes each,
-- sorted. deleted_at is set once the delete is done (or may be). Writes look for the claims of their bucket.
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_claim (
	claim_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(255) NOT NULL,
	key_hashes BYTEA NOT NULL,
	created_at TIMESTAMPTZ(6) NOT NULL,
	deleted_at TIMESTAMPTZ(6),
	PRIMARY KEY (claim_id)
);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_claim_bucket ON mutation_hooks_s3_claim (bucket, deleted_at);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_claim_created ON mutation_hooks_s3_claim (created_at);
-- The orphan sweeper's progress, one row per swept bucket (its name in configuration): the last key done by the
-- bucket's current run, for an interrupted run to be resumed after it, and the run that holds the bucket, with the
-- time of its last progress (a run that stops making progress is taken over).
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_sweep (
	bucket VARCHAR(255) NOT NULL,
	run_mode VARCHAR(16),
	last_key VARCHAR(1024),
	run_id VARCHAR(36),
	heartbeat_at TIMESTAMPTZ(6),
	PRIMARY KEY (bucket)
);
-- The reports of the orphan sweeper's last runs, per bucket; times in milliseconds since the epoch (UTC).
CREATE TABLE IF NOT EXISTS mutation_hooks_s3_sweep_report (
	run_id VARCHAR(36) NOT NULL,
	bucket VARCHAR(255) NOT NULL,
	bucket_name VARCHAR(255) NOT NULL,
	run_mode VARCHAR(16) NOT NULL,
	started_epoch_ms BIGINT NOT NULL,
	ended_epoch_ms BIGINT NOT NULL,
	resumed_after VARCHAR(1024),
	complete BOOLEAN NOT NULL,
	scanned BIGINT NOT NULL,
	referenced BIGINT NOT NULL,
	young BIGINT NOT NULL,
	orphans BIGINT NOT NULL,
	failed BIGINT NOT NULL,
	bytes_reclaimed BIGINT NOT NULL,
	error VARCHAR(2000),
	PRIMARY KEY (run_id)
);
CREATE INDEX IF NOT EXISTS mutation_hooks_s3_sweep_report_bucket ON mutation_hooks_s3_sweep_report (bucket, ended_epoch_ms);
