-- When pg_stat_statements was last reset and how many entries it evicted since (14+). Part
-- of server_facts.sql, which adds the marker comment.
SELECT dealloc, (extract(epoch FROM stats_reset) * 1000000)::bigint AS stats_reset_us
  FROM {schema}.pg_stat_statements_info
