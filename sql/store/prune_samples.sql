DELETE FROM samples WHERE target_id = $1 AND bucket_start < $2
