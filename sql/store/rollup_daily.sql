-- Rolls hourly rows of one target up, for buckets in [$2, $3) ($2 and $3 aligned to 86400 s).
-- Recomputing a bucket replaces it, so rolling up again after late samples is exact.
-- flags: OR of the bits (1 epoch_break, 2 partial); extend when a bit is added.
INSERT INTO samples_daily (
  target_id, bucket_start, statement_id, shape_id, sample_count, flags, calls, total_time,
  sum_sq, min_time, max_time, row_count, rows_examined, shared_blks_hit, shared_blks_read,
  shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read,
  local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written, blk_read_time,
  blk_write_time, wal_records, wal_fpi, wal_bytes
)
SELECT
  target_id, bucket_start - bucket_start % 86400, statement_id, MIN(shape_id),
  SUM(sample_count), MAX(flags & 1) | MAX(flags & 2), SUM(calls), SUM(total_time),
  SUM(sum_sq), MIN(min_time), MAX(max_time), SUM(row_count), SUM(rows_examined),
  SUM(shared_blks_hit), SUM(shared_blks_read), SUM(shared_blks_dirtied),
  SUM(shared_blks_written), SUM(local_blks_hit), SUM(local_blks_read),
  SUM(local_blks_dirtied), SUM(local_blks_written), SUM(temp_blks_read),
  SUM(temp_blks_written), SUM(blk_read_time), SUM(blk_write_time), SUM(wal_records),
  SUM(wal_fpi), SUM(wal_bytes)
FROM samples_hourly
WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3
GROUP BY target_id, bucket_start - bucket_start % 86400, statement_id
ON CONFLICT (target_id, bucket_start, statement_id) DO UPDATE SET
  shape_id = excluded.shape_id, sample_count = excluded.sample_count,
  flags = excluded.flags, calls = excluded.calls, total_time = excluded.total_time,
  sum_sq = excluded.sum_sq, min_time = excluded.min_time, max_time = excluded.max_time,
  row_count = excluded.row_count, rows_examined = excluded.rows_examined,
  shared_blks_hit = excluded.shared_blks_hit, shared_blks_read = excluded.shared_blks_read,
  shared_blks_dirtied = excluded.shared_blks_dirtied,
  shared_blks_written = excluded.shared_blks_written,
  local_blks_hit = excluded.local_blks_hit, local_blks_read = excluded.local_blks_read,
  local_blks_dirtied = excluded.local_blks_dirtied,
  local_blks_written = excluded.local_blks_written,
  temp_blks_read = excluded.temp_blks_read, temp_blks_written = excluded.temp_blks_written,
  blk_read_time = excluded.blk_read_time, blk_write_time = excluded.blk_write_time,
  wal_records = excluded.wal_records, wal_fpi = excluded.wal_fpi,
  wal_bytes = excluded.wal_bytes
