-- Durable effects of Mutation Hooks: db-scheduler's table for MySQL and MariaDB. DATETIME(6), not TIMESTAMP, which
-- ends in 2038 (parked effects wait at 9999-01-01); db-scheduler must then store UTC
-- (db-scheduler.always-persist-timestamp-in-utc, set by default by this starter). LONGBLOB, not BLOB (64 KB): one
-- effect holds up to 1000 payloads.
CREATE TABLE IF NOT EXISTS scheduled_tasks (
	task_name VARCHAR(100) NOT NULL,
	task_instance VARCHAR(100) NOT NULL,
	task_data LONGBLOB,
	execution_time DATETIME(6) NOT NULL,
	picked BOOLEAN NOT NULL,
	picked_by VARCHAR(50),
	last_success DATETIME(6) NULL,
	last_failure DATETIME(6) NULL,
	consecutive_failures INT,
	last_heartbeat DATETIME(6) NULL,
	version BIGINT NOT NULL,
	priority SMALLINT,
	PRIMARY KEY (task_name, task_instance),
	INDEX execution_time_idx (execution_time),
	INDEX last_heartbeat_idx (last_heartbeat),
	INDEX priority_execution_time_idx (priority DESC, execution_time ASC)
);
