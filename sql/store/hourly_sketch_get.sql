-- The quantile sketch of one statement's hour ($1 target, $2 hour, $3 statement), NULL for
-- none; read, merged with a new sample's and written back by hourly_sketch_set.sql.
SELECT sketch
FROM samples_hourly
WHERE target_id = $1 AND bucket_start = $2 AND statement_id = $3
