-- Schema version 5 for PostgreSQL: who collects each target, and how far each slow-log file
-- is stored. Keep in step with sqlite/005_leases_and_log_files.sql.
--
-- target_leases: one collecting process per target at a time. The holder renews its lease
-- with every cycle it writes (in the cycle's transaction) and on every cycle it runs; another
-- process may take the target over once expires_at has passed, or at once when the holder
-- ran on the same machine and its process is gone. owner is unique per process run; scope
-- names the machine boot and PID namespace in which pid identifies that process. Times are
-- UTC epoch seconds.
CREATE TABLE target_leases (
  target_id BIGINT PRIMARY KEY REFERENCES targets (id),
  owner TEXT NOT NULL,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  scope TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

-- log_files: every slow-log file whose entries a target holds, up to which byte (read_to),
-- whoever read it (`collect` following the log, `digest --store` adding files), so that
-- no reader stores an entry another already stored. A file is its host, device and inode,
-- and its first head_bytes bytes (hash head_hash, 16 hex digits: inodes are reused).
-- resume is the reader's position at read_to (the tailer's checkpoint text). A writer
-- changes a row only if it is still as the writer last read it.
CREATE TABLE log_files (
  target_id BIGINT NOT NULL REFERENCES targets (id),
  host TEXT NOT NULL,
  device BIGINT NOT NULL,
  inode BIGINT NOT NULL,
  head_bytes INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  read_from BIGINT NOT NULL,
  read_to BIGINT NOT NULL,
  resume TEXT NOT NULL,
  reader TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (target_id, host, device, inode)
);
