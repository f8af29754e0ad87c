/* slowscope */
-- Who the server is (system identifier, major version) and when it started: a change of
-- either means the counters of the previous poll cannot be subtracted.
SELECT (SELECT system_identifier FROM pg_control_system())::text,
       current_setting('server_version_num')::int / 10000,
       (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint,
       current_user
