-- Adds samples to their hours, in the same transaction as the raw samples: the hourly
-- rollup is always complete up to the latest cycle. Each row is one sample's addition to
-- its hour: $1 target, $2 hour (the bucket aligned to 3600 s), $3 statement, $4 shape, $5
-- raw samples it adds (1 for a sample sample_insert has just inserted; 0 for what a cycle
-- added to a sample stored before, see sample_replace), $6 flags, $7-$28 the measures. The
-- row marked /* row */ is repeated once per sample (see analyzer/store/sql_batch.h); one row
-- is the statement for a single addition.
--
-- The measures are bound rather than read back from the raw rows, which saved a primary-key
-- lookup per sample. Within one statement a (statement, hour) may come only once: an upsert
-- may change a row only once per statement (PostgreSQL), and summing duplicates with GROUP
-- BY first made this statement twice as slow on SQLite. The caller spreads further samples
-- of the same hour over later statements. A sample must not come twice at all, or it would
-- be counted twice: pass exactly the samples sample_insert inserted.
INSERT INTO samples_hourly (
  target_id, bucket_start, statement_id, shape_id, sample_count, flags, calls, total_time,
  sum_sq, min_time, max_time, row_count, rows_examined, shared_blks_hit, shared_blks_read,
  shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read,
  local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written, blk_read_time,
  blk_write_time, wal_records, wal_fpi, wal_bytes
) VALUES
  /* row */ (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
    $20, $21, $22, $23, $24, $25, $26, $27, $28
  )
ON CONFLICT (target_id, bucket_start, statement_id) DO UPDATE SET
  sample_count = samples_hourly.sample_count + excluded.sample_count,
  flags = samples_hourly.flags | excluded.flags,
  calls = samples_hourly.calls + excluded.calls,
  total_time = samples_hourly.total_time + excluded.total_time,
  sum_sq = samples_hourly.sum_sq + excluded.sum_sq,
  min_time = CASE
    WHEN samples_hourly.min_time IS NULL OR excluded.min_time < samples_hourly.min_time
    THEN excluded.min_time ELSE samples_hourly.min_time END,
  max_time = CASE
    WHEN samples_hourly.max_time IS NULL OR excluded.max_time > samples_hourly.max_time
    THEN excluded.max_time ELSE samples_hourly.max_time END,
  row_count = samples_hourly.row_count + excluded.row_count,
  rows_examined = samples_hourly.rows_examined + excluded.rows_examined,
  shared_blks_hit = samples_hourly.shared_blks_hit + excluded.shared_blks_hit,
  shared_blks_read = samples_hourly.shared_blks_read + excluded.shared_blks_read,
  shared_blks_dirtied = samples_hourly.shared_blks_dirtied + excluded.shared_blks_dirtied,
  shared_blks_written = samples_hourly.shared_blks_written + excluded.shared_blks_written,
  local_blks_hit = samples_hourly.local_blks_hit + excluded.local_blks_hit,
  local_blks_read = samples_hourly.local_blks_read + excluded.local_blks_read,
  local_blks_dirtied = samples_hourly.local_blks_dirtied + excluded.local_blks_dirtied,
  local_blks_written = samples_hourly.local_blks_written + excluded.local_blks_written,
  temp_blks_read = samples_hourly.temp_blks_read + excluded.temp_blks_read,
  temp_blks_written = samples_hourly.temp_blks_written + excluded.temp_blks_written,
  blk_read_time = samples_hourly.blk_read_time + excluded.blk_read_time,
  blk_write_time = samples_hourly.blk_write_time + excluded.blk_write_time,
  wal_records = samples_hourly.wal_records + excluded.wal_records,
  wal_fpi = samples_hourly.wal_fpi + excluded.wal_fpi,
  wal_bytes = samples_hourly.wal_bytes + excluded.wal_bytes
