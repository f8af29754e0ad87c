-- The slow-log files of target $1 on host $2 whose entries the store holds.
SELECT device, inode, head_bytes, head_hash, read_from, read_to, resume, reader, updated_at
FROM log_files WHERE target_id = $1 AND host = $2
ORDER BY device, inode
