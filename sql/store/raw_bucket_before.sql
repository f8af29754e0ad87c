-- The last raw bucket of target $1 that starts before $2, and the longest interval stored
-- in it; no row without one. One step down the primary key (target_id, bucket_start, ...).
SELECT bucket_start, MAX(interval_seconds)
FROM samples
WHERE target_id = $1
  AND bucket_start = (SELECT MAX(bucket_start) FROM samples WHERE target_id = $1 AND bucket_start < $2)
GROUP BY bucket_start
