/* slowscope */
-- What tells whether digest counters could have restarted, and whether they are kept.
-- Output: the server's clock (epoch seconds with microseconds; the session is UTC), Uptime
-- (s), @@performance_schema, @@performance_schema_digests_size, whether the
-- statements_digest consumer is enabled (YES/NO).
SELECT CAST(UNIX_TIMESTAMP(NOW(6)) AS CHAR) AS slowscope_now,
       (SELECT VARIABLE_VALUE FROM performance_schema.global_status
         WHERE VARIABLE_NAME = 'Uptime'),
       @@performance_schema, @@performance_schema_digests_size,
       (SELECT ENABLED FROM performance_schema.setup_consumers
         WHERE NAME = 'statements_digest')
