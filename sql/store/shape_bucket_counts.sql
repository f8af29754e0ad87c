-- Per shape and bucket of one target: calls, rows examined, shared blocks touched (hit +
-- read) and total time, what the per-interval tests of the regression detectors need. Tier
-- ranges as in top.sql: days [$2, $3), hours [$4, $5) and [$6, $7), raw samples [$8, $9)
-- and [$10, $11) (raw samples alone for a raw_only query).
SELECT shape_id, bucket_start, MAX(bucket_seconds), SUM(calls), SUM(rows_examined),
  SUM(shared_blks_hit) + SUM(shared_blks_read), SUM(total_time)
FROM (
  SELECT shape_id, bucket_start, 86400 AS bucket_seconds,
    calls, rows_examined, shared_blks_hit, shared_blks_read, total_time
  FROM samples_daily
  WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3
  UNION ALL
  SELECT shape_id, bucket_start, 3600 AS bucket_seconds,
    calls, rows_examined, shared_blks_hit, shared_blks_read, total_time
  FROM samples_hourly
  WHERE target_id = $1 AND bucket_start >= $4 AND bucket_start < $5
  UNION ALL
  SELECT shape_id, bucket_start, 3600 AS bucket_seconds,
    calls, rows_examined, shared_blks_hit, shared_blks_read, total_time
  FROM samples_hourly
  WHERE target_id = $1 AND bucket_start >= $6 AND bucket_start < $7
  UNION ALL
  SELECT shape_id, bucket_start, interval_seconds AS bucket_seconds,
    calls, rows_examined, shared_blks_hit, shared_blks_read, total_time
  FROM samples
  WHERE target_id = $1 AND bucket_start >= $8 AND bucket_start < $9
  UNION ALL
  SELECT shape_id, bucket_start, interval_seconds AS bucket_seconds,
    calls, rows_examined, shared_blks_hit, shared_blks_read, total_time
  FROM samples
  WHERE target_id = $1 AND bucket_start >= $10 AND bucket_start < $11
) AS parts
GROUP BY shape_id, bucket_start
ORDER BY shape_id, bucket_start
