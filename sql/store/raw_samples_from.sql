-- Where the raw samples of target $1 start (the oldest bucket still kept), and where its
-- hourly rollup starts; NULL without any. Rollup hours before the raw samples' first hour
-- mean older samples were pruned. One step down each primary key (target_id, bucket_start,
-- ...).
SELECT (SELECT MIN(bucket_start) FROM samples WHERE target_id = $1),
  (SELECT MIN(bucket_start) FROM samples_hourly WHERE target_id = $1)
