-- The quantile sketches of one target's raw samples with bucket_start in [$2, $3), oldest
-- first; the caller merges them per shape. Rollups keep no sketches (docs/STORE.md), so
-- this reads the raw tier only.
SELECT shape_id, sketch
FROM samples
WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3 AND sketch IS NOT NULL
ORDER BY bucket_start
