-- One stored raw sample by its key (target, bucket, statement): flags, the measures in the
-- column order of analyzer/store/measures.h, and the sketch. Used by cycles that add to
-- samples (slow-log sources, whose entries for one interval may arrive over several cycles).
SELECT flags,
  calls, total_time, sum_sq, min_time, max_time, row_count, rows_examined, shared_blks_hit,
  shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit,
  local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read,
  temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi, wal_bytes, sketch
FROM samples
WHERE target_id = $1 AND bucket_start = $2 AND statement_id = $3
