-- Adds samples of days already rolled up (before the target's daily_through) to their
-- daily rows, as hourly_add.sql adds every sample to its hour: a late sample (a backlog, an
-- old slow log stored with `digest --store`) would otherwise reach its day only through a
-- rebuild from hours that may be pruned by then. Parameters as hourly_add.sql's, with $2
-- the day (the bucket aligned to 86400 s); the same rules: a batch template, a (statement,
-- day) at most once per statement, each sample once.
INSERT INTO samples_daily (
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
  sample_count = samples_daily.sample_count + excluded.sample_count,
  flags = samples_daily.flags | excluded.flags,
  calls = samples_daily.calls + excluded.calls,
  total_time = samples_daily.total_time + excluded.total_time,
  sum_sq = samples_daily.sum_sq + excluded.sum_sq,
  min_time = CASE
    WHEN samples_daily.min_time IS NULL OR excluded.min_time < samples_daily.min_time
    THEN excluded.min_time ELSE samples_daily.min_time END,
  max_time = CASE
    WHEN samples_daily.max_time IS NULL OR excluded.max_time > samples_daily.max_time
    THEN excluded.max_time ELSE samples_daily.max_time END,
  row_count = samples_daily.row_count + excluded.row_count,
  rows_examined = samples_daily.rows_examined + excluded.rows_examined,
  shared_blks_hit = samples_daily.shared_blks_hit + excluded.shared_blks_hit,
  shared_blks_read = samples_daily.shared_blks_read + excluded.shared_blks_read,
  shared_blks_dirtied = samples_daily.shared_blks_dirtied + excluded.shared_blks_dirtied,
  shared_blks_written = samples_daily.shared_blks_written + excluded.shared_blks_written,
  local_blks_hit = samples_daily.local_blks_hit + excluded.local_blks_hit,
  local_blks_read = samples_daily.local_blks_read + excluded.local_blks_read,
  local_blks_dirtied = samples_daily.local_blks_dirtied + excluded.local_blks_dirtied,
  local_blks_written = samples_daily.local_blks_written + excluded.local_blks_written,
  temp_blks_read = samples_daily.temp_blks_read + excluded.temp_blks_read,
  temp_blks_written = samples_daily.temp_blks_written + excluded.temp_blks_written,
  blk_read_time = samples_daily.blk_read_time + excluded.blk_read_time,
  blk_write_time = samples_daily.blk_write_time + excluded.blk_write_time,
  wal_records = samples_daily.wal_records + excluded.wal_records,
  wal_fpi = samples_daily.wal_fpi + excluded.wal_fpi,
  wal_bytes = samples_daily.wal_bytes + excluded.wal_bytes
