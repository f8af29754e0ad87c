DELETE FROM samples_daily WHERE target_id = $1 AND bucket_start < $2
