-- Overwrites a stored raw sample with its sum with newer data, computed by the caller (which
-- also merges the sketches): $1-$3 the key, $4 flags, $5-$26 the measures, $27 the sketch.
UPDATE samples SET
  flags = $4, calls = $5, total_time = $6, sum_sq = $7, min_time = $8, max_time = $9,
  row_count = $10, rows_examined = $11, shared_blks_hit = $12, shared_blks_read = $13,
  shared_blks_dirtied = $14, shared_blks_written = $15, local_blks_hit = $16,
  local_blks_read = $17, local_blks_dirtied = $18, local_blks_written = $19,
  temp_blks_read = $20, temp_blks_written = $21, blk_read_time = $22, blk_write_time = $23,
  wal_records = $24, wal_fpi = $25, wal_bytes = $26, sketch = $27
WHERE target_id = $1 AND bucket_start = $2 AND statement_id = $3
