-- One target's raw samples over [$2, $3), one row per statement and interval, with only the
-- counts per-interval tests need (Store::shape_buckets with counts_only). Decoding the 22
-- measure columns of every shape's last hour was most of a continuous detection pass.
SELECT shape_id, bucket_start, interval_seconds AS bucket_seconds,
  calls, total_time, rows_examined, shared_blks_hit, shared_blks_read
FROM samples
WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3
