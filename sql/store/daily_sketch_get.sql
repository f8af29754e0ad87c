-- The quantile sketch of one statement's day ($1 target, $2 day, $3 statement), NULL for
-- none; read, merged with a late sample's and written back by daily_sketch_set.sql.
SELECT sketch
FROM samples_daily
WHERE target_id = $1 AND bucket_start = $2 AND statement_id = $3
