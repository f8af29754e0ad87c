-- The quantile sketches of one target over a time range, each part of the range read from
-- one tier only as in tiered_rows.sql: days [$2, $3), hours [$4, $5) and [$6, $7), raw samples
-- [$8, $9) and [$10, $11). The caller merges them per shape. Rows written before rollups
-- kept sketches have none, so such a range merges to fewer calls than its sums count.
SELECT shape_id, sketch
FROM samples_daily
WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3 AND sketch IS NOT NULL
UNION ALL
SELECT shape_id, sketch
FROM samples_hourly
WHERE target_id = $1 AND bucket_start >= $4 AND bucket_start < $5 AND sketch IS NOT NULL
UNION ALL
SELECT shape_id, sketch
FROM samples_hourly
WHERE target_id = $1 AND bucket_start >= $6 AND bucket_start < $7 AND sketch IS NOT NULL
UNION ALL
SELECT shape_id, sketch
FROM samples
WHERE target_id = $1 AND bucket_start >= $8 AND bucket_start < $9 AND sketch IS NOT NULL
UNION ALL
SELECT shape_id, sketch
FROM samples
WHERE target_id = $1 AND bucket_start >= $10 AND bucket_start < $11 AND sketch IS NOT NULL
