-- Per-shape totals of one target over a time range. Each part of the range is read from
-- one tier only, chosen by the caller (analyzer/store/tiers.h): days [$2, $3), hours
-- [$4, $5) and [$6, $7), raw samples [$8, $9) and [$10, $11). $12 orders: total, mean,
-- calls, rows or io (see analyzer/store/store.h); $13 limits.
SELECT shape_id,
  SUM(calls), SUM(total_time), SUM(sum_sq), MIN(min_time), MAX(max_time), SUM(row_count),
  SUM(rows_examined), SUM(shared_blks_hit), SUM(shared_blks_read),
  SUM(shared_blks_dirtied), SUM(shared_blks_written), SUM(local_blks_hit),
  SUM(local_blks_read), SUM(local_blks_dirtied), SUM(local_blks_written),
  SUM(temp_blks_read), SUM(temp_blks_written), SUM(blk_read_time), SUM(blk_write_time),
  SUM(wal_records), SUM(wal_fpi), SUM(wal_bytes)
FROM (
  SELECT shape_id,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples_daily
  WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3
  UNION ALL
  SELECT shape_id,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples_hourly
  WHERE target_id = $1 AND bucket_start >= $4 AND bucket_start < $5
  UNION ALL
  SELECT shape_id,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples_hourly
  WHERE target_id = $1 AND bucket_start >= $6 AND bucket_start < $7
  UNION ALL
  SELECT shape_id,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples
  WHERE target_id = $1 AND bucket_start >= $8 AND bucket_start < $9
  UNION ALL
  SELECT shape_id,
    calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined,
    shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
    local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
    temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi,
    wal_bytes
  FROM samples
  WHERE target_id = $1 AND bucket_start >= $10 AND bucket_start < $11
) AS parts
GROUP BY shape_id
ORDER BY CASE $12
    WHEN 'calls' THEN CAST(SUM(calls) AS DOUBLE PRECISION)
    WHEN 'mean' THEN CASE WHEN SUM(calls) > 0 THEN SUM(total_time) / SUM(calls) ELSE 0 END
    WHEN 'rows' THEN CAST(SUM(row_count) AS DOUBLE PRECISION)
    WHEN 'io' THEN CAST(SUM(shared_blks_read) + SUM(local_blks_read) + SUM(temp_blks_read)
                        + SUM(temp_blks_written) AS DOUBLE PRECISION)
    ELSE SUM(total_time)
  END DESC, shape_id
LIMIT $13
