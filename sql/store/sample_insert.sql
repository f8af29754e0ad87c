-- Raw samples, one row per sample. The row marked /* row */ is the template of a batch:
-- the store repeats it once per sample, renumbering its placeholders (see
-- analyzer/store/sql_batch.h), so that one statement carries up to a few hundred samples.
--
-- A sample already stored for the same (target, bucket, statement) wins, also over an
-- earlier row of the same batch: the row is skipped, and the caller must not add it to the
-- hourly rollup again. So a cycle retried after an uncertain commit changes nothing. The
-- caller counts the rows inserted; when a batch inserted fewer than it carried, it writes
-- the cycle again one row per statement to learn which ones. (A cycle that adds to stored
-- samples, SampleConflict::kAdd, has added those and taken them out before this statement:
-- see analyzer/store/sample_addition.cpp.)
INSERT INTO samples (
  target_id, bucket_start, statement_id, shape_id, interval_seconds, flags, calls,
  total_time, sum_sq, min_time, max_time, row_count, rows_examined, shared_blks_hit,
  shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit,
  local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read,
  temp_blks_written, blk_read_time, blk_write_time, wal_records, wal_fpi, wal_bytes, sketch
) VALUES
  /* row */ (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
    $20, $21, $22, $23, $24, $25, $26, $27, $28, $29
  )
ON CONFLICT (target_id, bucket_start, statement_id) DO NOTHING
