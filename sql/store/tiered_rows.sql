-- The stored rows of one target over a time range, each part of the range read from one
-- tier only, chosen by the caller (analyzer/store/tiers.h): days [$2, $3), hours [$4, $5)
-- and [$6, $7), raw samples [$8, $9) and [$10, $11). One row per statement and bucket, with
-- the bucket's length and the measures. Not grouped: the caller sums them per shape (and
-- per bucket) in one pass, a fraction of what SQLite's aggregate steps over the 22 measure
-- columns cost (they were most of a check's time).
SELECT shape_id, bucket_start, 86400 AS bucket_seconds,
  calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
  shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
  local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
  temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
  wal_bytes
FROM samples_daily
WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3
UNION ALL
SELECT shape_id, bucket_start, 3600 AS bucket_seconds,
  calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
  shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
  local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
  temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
  wal_bytes
FROM samples_hourly
WHERE target_id = $1 AND bucket_start >= $4 AND bucket_start < $5
UNION ALL
SELECT shape_id, bucket_start, 3600 AS bucket_seconds,
  calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
  shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
  local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
  temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
  wal_bytes
FROM samples_hourly
WHERE target_id = $1 AND bucket_start >= $6 AND bucket_start < $7
UNION ALL
SELECT shape_id, bucket_start, interval_seconds AS bucket_seconds,
  calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
  shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
  local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
  temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
  wal_bytes
FROM samples
WHERE target_id = $1 AND bucket_start >= $8 AND bucket_start < $9
UNION ALL
SELECT shape_id, bucket_start, interval_seconds AS bucket_seconds,
  calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
  shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
  local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
  temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
  wal_bytes
FROM samples
WHERE target_id = $1 AND bucket_start >= $10 AND bucket_start < $11
