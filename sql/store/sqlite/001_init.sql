-- Schema version 1 for SQLite. Keep in step with postgres/001_init.sql: the two differ only
-- in id columns (INTEGER PRIMARY KEY vs identity), BLOB vs BYTEA and WITHOUT ROWID.
-- Times are UTC epoch seconds, durations seconds. See docs/STORE.md.

CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  engine TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Which server a target was when statement keys were read: keys such as pg_stat_statements'
-- (dbid, userid, queryid) only mean something within one server identity.
CREATE TABLE servers (
  id INTEGER PRIMARY KEY,
  target_id BIGINT NOT NULL REFERENCES targets (id),
  system_id TEXT NOT NULL,
  version TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  UNIQUE (target_id, system_id, version)
);

CREATE TABLE shapes (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  fingerprint TEXT NOT NULL,
  first_seen BIGINT NOT NULL
);

CREATE TABLE shape_tables (
  shape_id BIGINT NOT NULL REFERENCES shapes (id),
  table_name TEXT NOT NULL,
  PRIMARY KEY (shape_id, table_name)
) WITHOUT ROWID;

CREATE INDEX shape_tables_by_table ON shape_tables (table_name);

CREATE TABLE statements (
  id INTEGER PRIMARY KEY,
  target_id BIGINT NOT NULL REFERENCES targets (id),
  server_id BIGINT NOT NULL REFERENCES servers (id),
  database_key TEXT NOT NULL,
  user_key TEXT NOT NULL,
  query_key TEXT NOT NULL,
  toplevel INTEGER NOT NULL,
  shape_id BIGINT NOT NULL REFERENCES shapes (id),
  query_text TEXT,
  first_seen BIGINT NOT NULL,
  UNIQUE (server_id, database_key, user_key, query_key, toplevel)
);

CREATE INDEX statements_by_shape ON statements (shape_id);

-- One row per statement and collection interval. The measures (calls .. wal_bytes) are in
-- the same order in every sample table and in analyzer/store/measures.h.
CREATE TABLE samples (
  target_id BIGINT NOT NULL,
  bucket_start BIGINT NOT NULL,
  statement_id BIGINT NOT NULL REFERENCES statements (id),
  shape_id BIGINT NOT NULL,
  interval_seconds INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  calls BIGINT NOT NULL,
  total_time DOUBLE PRECISION NOT NULL,
  sum_sq DOUBLE PRECISION NOT NULL,
  min_time DOUBLE PRECISION,
  max_time DOUBLE PRECISION,
  row_count BIGINT NOT NULL,
  rows_examined BIGINT NOT NULL,
  shared_blks_hit BIGINT NOT NULL,
  shared_blks_read BIGINT NOT NULL,
  shared_blks_dirtied BIGINT NOT NULL,
  shared_blks_written BIGINT NOT NULL,
  local_blks_hit BIGINT NOT NULL,
  local_blks_read BIGINT NOT NULL,
  local_blks_dirtied BIGINT NOT NULL,
  local_blks_written BIGINT NOT NULL,
  temp_blks_read BIGINT NOT NULL,
  temp_blks_written BIGINT NOT NULL,
  blk_read_time DOUBLE PRECISION NOT NULL,
  blk_write_time DOUBLE PRECISION NOT NULL,
  wal_records BIGINT NOT NULL,
  wal_fpi BIGINT NOT NULL,
  wal_bytes BIGINT NOT NULL,
  sketch BLOB,
  PRIMARY KEY (target_id, bucket_start, statement_id)
) WITHOUT ROWID;

CREATE INDEX samples_by_shape ON samples (target_id, shape_id, bucket_start);

-- Rollups: the samples of one statement summed per UTC hour (kept current by every cycle)
-- and per UTC day (built from samples_hourly once a day is over). sample_count counts the
-- raw samples folded in.
CREATE TABLE samples_hourly (
  target_id BIGINT NOT NULL,
  bucket_start BIGINT NOT NULL,
  statement_id BIGINT NOT NULL REFERENCES statements (id),
  shape_id BIGINT NOT NULL,
  sample_count BIGINT NOT NULL,
  flags INTEGER NOT NULL,
  calls BIGINT NOT NULL,
  total_time DOUBLE PRECISION NOT NULL,
  sum_sq DOUBLE PRECISION NOT NULL,
  min_time DOUBLE PRECISION,
  max_time DOUBLE PRECISION,
  row_count BIGINT NOT NULL,
  rows_examined BIGINT NOT NULL,
  shared_blks_hit BIGINT NOT NULL,
  shared_blks_read BIGINT NOT NULL,
  shared_blks_dirtied BIGINT NOT NULL,
  shared_blks_written BIGINT NOT NULL,
  local_blks_hit BIGINT NOT NULL,
  local_blks_read BIGINT NOT NULL,
  local_blks_dirtied BIGINT NOT NULL,
  local_blks_written BIGINT NOT NULL,
  temp_blks_read BIGINT NOT NULL,
  temp_blks_written BIGINT NOT NULL,
  blk_read_time DOUBLE PRECISION NOT NULL,
  blk_write_time DOUBLE PRECISION NOT NULL,
  wal_records BIGINT NOT NULL,
  wal_fpi BIGINT NOT NULL,
  wal_bytes BIGINT NOT NULL,
  sketch BLOB,
  PRIMARY KEY (target_id, bucket_start, statement_id)
) WITHOUT ROWID;

CREATE INDEX samples_hourly_by_shape ON samples_hourly (target_id, shape_id, bucket_start);

CREATE TABLE samples_daily (
  target_id BIGINT NOT NULL,
  bucket_start BIGINT NOT NULL,
  statement_id BIGINT NOT NULL REFERENCES statements (id),
  shape_id BIGINT NOT NULL,
  sample_count BIGINT NOT NULL,
  flags INTEGER NOT NULL,
  calls BIGINT NOT NULL,
  total_time DOUBLE PRECISION NOT NULL,
  sum_sq DOUBLE PRECISION NOT NULL,
  min_time DOUBLE PRECISION,
  max_time DOUBLE PRECISION,
  row_count BIGINT NOT NULL,
  rows_examined BIGINT NOT NULL,
  shared_blks_hit BIGINT NOT NULL,
  shared_blks_read BIGINT NOT NULL,
  shared_blks_dirtied BIGINT NOT NULL,
  shared_blks_written BIGINT NOT NULL,
  local_blks_hit BIGINT NOT NULL,
  local_blks_read BIGINT NOT NULL,
  local_blks_dirtied BIGINT NOT NULL,
  local_blks_written BIGINT NOT NULL,
  temp_blks_read BIGINT NOT NULL,
  temp_blks_written BIGINT NOT NULL,
  blk_read_time DOUBLE PRECISION NOT NULL,
  blk_write_time DOUBLE PRECISION NOT NULL,
  wal_records BIGINT NOT NULL,
  wal_fpi BIGINT NOT NULL,
  wal_bytes BIGINT NOT NULL,
  sketch BLOB,
  PRIMARY KEY (target_id, bucket_start, statement_id)
) WITHOUT ROWID;

CREATE INDEX samples_daily_by_shape ON samples_daily (target_id, shape_id, bucket_start);

-- Per target: where its samples end (no sample covers time after samples_through), how
-- far the daily rollup is complete (every day before daily_through is in samples_daily),
-- and when a cycle last landed. Writers and the rollup both update this row first, which
-- orders them per target.
CREATE TABLE target_state (
  target_id BIGINT PRIMARY KEY REFERENCES targets (id),
  samples_through BIGINT NOT NULL,
  daily_through BIGINT NOT NULL,
  last_cycle_at BIGINT
);

-- What a collector needs to resume exactly, written with the samples it produced.
CREATE TABLE checkpoints (
  target_id BIGINT NOT NULL REFERENCES targets (id),
  name TEXT NOT NULL,
  value BLOB NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (target_id, name)
) WITHOUT ROWID;

CREATE TABLE collector_events (
  id INTEGER PRIMARY KEY,
  target_id BIGINT NOT NULL REFERENCES targets (id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL
);

CREATE INDEX collector_events_by_time ON collector_events (target_id, at);
