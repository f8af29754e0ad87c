-- The first hour of target $1 at or after $2 that holds rows, NULL for none: where a daily
-- rollup from $2 on has something to roll (a target never rolled up starts at 0).
SELECT MIN(bucket_start) FROM samples_hourly WHERE target_id = $1 AND bucket_start >= $2
