-- One shape of one target over time, one row per bucket, summed over the statements of
-- the shape. Tier ranges as in tiered_rows.sql: days [$3, $4), hours [$5, $6) and [$7, $8), raw
-- samples [$9, $10) and [$11, $12).
SELECT bucket_start, MAX(bucket_seconds),
  SUM(calls), SUM(total_time), SUM(sum_sq), MIN(min_time), MAX(max_time), SUM(row_count),
  SUM(rows_examined), SUM(shared_blks_hit), SUM(shared_blks_read),
  SUM(shared_blks_dirtied), SUM(shared_blks_written), SUM(local_blks_hit),
  SUM(local_blks_read), SUM(local_blks_dirtied), SUM(local_blks_written),
  SUM(temp_blks_read), SUM(temp_blks_written), SUM(blk_read_time), SUM(blk_write_time),
  SUM(wal_records), SUM(wal_fpi), SUM(wal_bytes)
FROM (
  SELECT bucket_start, 86400 AS bucket_seconds,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples_daily
  WHERE target_id = $1 AND shape_id = $2 AND bucket_start >= $3 AND bucket_start < $4
  UNION ALL
  SELECT bucket_start, 3600 AS bucket_seconds,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples_hourly
  WHERE target_id = $1 AND shape_id = $2 AND bucket_start >= $5 AND bucket_start < $6
  UNION ALL
  SELECT bucket_start, 3600 AS bucket_seconds,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples_hourly
  WHERE target_id = $1 AND shape_id = $2 AND bucket_start >= $7 AND bucket_start < $8
  UNION ALL
  SELECT bucket_start, interval_seconds AS bucket_seconds,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples
  WHERE target_id = $1 AND shape_id = $2 AND bucket_start >= $9 AND bucket_start < $10
  UNION ALL
  SELECT bucket_start, interval_seconds AS bucket_seconds,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples
  WHERE target_id = $1 AND shape_id = $2 AND bucket_start >= $11 AND bucket_start < $12
) AS parts
GROUP BY bucket_start
ORDER BY bucket_start
