-- The quantile sketches of one target's hours in [$2, $3) ($2 and $3 aligned to 86400 s),
-- with the day and statement each one rolls up into; the caller merges them per day and
-- statement (daily_sketch_set.sql), as rollup_daily.sql sums the rest.
SELECT bucket_start - bucket_start % 86400, statement_id, sketch
FROM samples_hourly
WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3 AND sketch IS NOT NULL
ORDER BY bucket_start
