-- Adds raw samples that sample_insert has just inserted to their hours, in the same
-- transaction: the hourly rollup is always complete up to the latest cycle. Each row names
-- one new sample by its key (target, bucket, statement) and its hour (bucket aligned to
-- 3600 s); the row marked /* row */ is repeated once per sample (see
-- analyzer/store/sql_batch.h). The measures are read back from the raw rows rather than
-- bound again.
--
-- Within one statement a (statement, hour) may come only once: an upsert may change a row
-- only once per statement (PostgreSQL), and summing duplicates with GROUP BY first made
-- this statement twice as slow on SQLite. The caller spreads further samples of the same
-- hour over later statements. A key must not come twice at all, or it would be counted
-- twice: pass exactly the samples sample_insert inserted.
--
-- CROSS JOIN makes SQLite loop over the keys and look each sample up by primary key;
-- PostgreSQL plans it like an inner join. WHERE also settles SQLite's parsing ambiguity
-- between a join's ON and ON CONFLICT.
INSERT INTO samples_hourly (
  target_id, bucket_start, statement_id, shape_id, sample_count, flags, calls, total_time,
  sum_sq, min_time, max_time, row_count, rows_examined, shared_blks_hit, shared_blks_read,
  shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read,
  local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written, blk_read_time,
  blk_write_time, wal_records, wal_fpi, wal_bytes
)
SELECT
  s.target_id, k.column4, s.statement_id, s.shape_id, 1, s.flags, s.calls, s.total_time,
  s.sum_sq, s.min_time, s.max_time, s.row_count, s.rows_examined, s.shared_blks_hit,
  s.shared_blks_read, s.shared_blks_dirtied, s.shared_blks_written, s.local_blks_hit,
  s.local_blks_read, s.local_blks_dirtied, s.local_blks_written, s.temp_blks_read,
  s.temp_blks_written, s.blk_read_time, s.blk_write_time, s.wal_records, s.wal_fpi,
  s.wal_bytes
FROM (
  VALUES
    /* row */ (CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS BIGINT))
) AS k
CROSS JOIN samples AS s
WHERE s.target_id = k.column1 AND s.bucket_start = k.column2 AND s.statement_id = k.column3
ON CONFLICT (target_id, bucket_start, statement_id) DO UPDATE SET
  sample_count = samples_hourly.sample_count + 1,
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
