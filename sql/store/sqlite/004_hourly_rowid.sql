-- Schema version 4 for SQLite: samples_hourly becomes a rowid table. Keep in step with
-- postgres/004_hourly_rowid.sql. Same columns, key and index as in 001_init.sql.
--
-- Every cycle updates the current hour's row of each statement that ran. In a WITHOUT ROWID
-- table that update deletes and re-inserts the 28-column row in the primary-key B-tree; in
-- a rowid table the key is a separate index that an update leaves alone, and the row is
-- overwritten in place when its size is unchanged, which it mostly is. That made adding a
-- 5,000-sample cycle to its hours about a fifth cheaper (docs/BENCHMARKS.md, "Collect
-- cycle"), for an extra index entry per hourly row.
--
-- SQLite cannot change a table's storage in place: build the new table, copy, swap.
CREATE TABLE samples_hourly_rowid (
  target_id BIGINT NOT NULL,
  bucket_start BIGINT NOT NULL,
  statement_id BIGINT NOT NULL REFERENCES statements (id),
  shape_id BIGINT NOT NULL,
  sample_count BIGINT NOT NULL,
  flags INTEGER NOT NULL,
  calls BIGINT NOT NULL,
  total_time DOUBLE PRECISION NOT NULL,
  sum_sq DOUBLE PRECISION NOT NULL,
  min_time DOUBLE PRECISION,
  max_time DOUBLE PRECISION,
  row_count BIGINT NOT NULL,
  rows_examined BIGINT NOT NULL,
  shared_blks_hit BIGINT NOT NULL,
  shared_blks_read BIGINT NOT NULL,
  shared_blks_dirtied BIGINT NOT NULL,
  shared_blks_written BIGINT NOT NULL,
  local_blks_hit BIGINT NOT NULL,
  local_blks_read BIGINT NOT NULL,
  local_blks_dirtied BIGINT NOT NULL,
  local_blks_written BIGINT NOT NULL,
  temp_blks_read BIGINT NOT NULL,
  temp_blks_written BIGINT NOT NULL,
  blk_read_time DOUBLE PRECISION NOT NULL,
  blk_write_time DOUBLE PRECISION NOT NULL,
  wal_records BIGINT NOT NULL,
  wal_fpi BIGINT NOT NULL,
  wal_bytes BIGINT NOT NULL,
  sketch BLOB,
  PRIMARY KEY (target_id, bucket_start, statement_id)
);

INSERT INTO samples_hourly_rowid
  SELECT * FROM samples_hourly ORDER BY target_id, bucket_start, statement_id;
DROP TABLE samples_hourly;
ALTER TABLE samples_hourly_rowid RENAME TO samples_hourly;
CREATE INDEX samples_hourly_by_shape ON samples_hourly (target_id, shape_id, bucket_start);
