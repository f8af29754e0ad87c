/* slowscope */
-- Who the server is (system identifier, major version) and when it started: a change of
-- either means the counters of the previous poll cannot be subtracted. In the same round
-- trip, how many entries pg_stat_statements evicted and when it was last reset, from the one
-- row of stats_info.sql (stats_info_absent.sql before PostgreSQL 14), which
-- connectors/postgres/pgss_columns.cpp puts in the braced placeholder.
SELECT (SELECT system_identifier FROM pg_control_system())::text,
       current_setting('server_version_num')::int / 10000,
       (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint,
       current_user,
       info.dealloc,
       info.stats_reset_us
  FROM ({stats_info}) AS info
