-- A file read for the first time; changes no row when another reader recorded it meanwhile.
INSERT INTO log_files (target_id, host, device, inode, head_bytes, head_hash, read_from,
                       read_to, resume, reader, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (target_id, host, device, inode) DO NOTHING
