-- Whether target $1 has daily rows in [$2, $3): days a store written by an earlier version
-- pulled daily_through back over, whose hours may be partly pruned (see rollup_and_prune).
SELECT 1 FROM samples_daily
WHERE target_id = $1 AND bucket_start >= $2 AND bucket_start < $3
LIMIT 1
