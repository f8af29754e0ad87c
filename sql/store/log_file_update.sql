-- A file read further (or its inode now holding another file), if its row is still as the
-- writer last read it ($12..$14: head_bytes, head_hash, read_to); changes no row otherwise.
UPDATE log_files SET head_bytes = $5, head_hash = $6, read_from = $7, read_to = $8,
  resume = $9, reader = $10, updated_at = $11
WHERE target_id = $1 AND host = $2 AND device = $3 AND inode = $4
  AND head_bytes = $12 AND head_hash = $13 AND read_to = $14
