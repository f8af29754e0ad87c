/* slowscope */
-- When pg_stat_statements was last reset and how many entries it evicted since (14+).
SELECT dealloc, (extract(epoch FROM stats_reset) * 1000000)::bigint
  FROM {schema}.pg_stat_statements_info
