/* slowscope */
-- Whether the server writes its slow log into the table at all.
-- Output: log_output (e.g. "FILE,TABLE"), slow_query_log (0/1), long_query_time (s).
SELECT @@global.log_output AS slowscope_log_output, @@global.slow_query_log,
       @@global.long_query_time
