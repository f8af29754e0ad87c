/* slowscope */
-- Cumulative counters of every pg_stat_statements entry, without query text (showtext :=
-- false keeps the poll cheap: the text file is not read). A template: the braced placeholders
-- are filled from the extension's probed columns (connectors/postgres/pgss_columns.cpp).
-- Output columns, in order: userid, dbid, queryid, toplevel, calls, total, mean, stddev,
-- min, max (ms), rows, 4 shared, 4 local, 2 temp block counters, read/write time (ms),
-- wal_records, wal_fpi, wal_bytes, stats_since (epoch µs or NULL).
SELECT userid::text, dbid::text, queryid::text, {toplevel}, calls,
       {total_time}, {mean_time}, {stddev_time}, {min_time}, {max_time}, rows,
       shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
       local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written,
       temp_blks_read, temp_blks_written,
       {blk_read_time}, {blk_write_time},
       {wal_records}, {wal_fpi}, {wal_bytes},
       {stats_since_us}
  FROM {schema}.pg_stat_statements(showtext := false)
