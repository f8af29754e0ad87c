-- Forgets files of target $1 nobody has read since $2.
DELETE FROM log_files WHERE target_id = $1 AND updated_at < $2
