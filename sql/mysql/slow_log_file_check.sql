/* slowscope */
-- For a slow_log_file target: where the server writes its slow log, which settings keep
-- slow queries out of it, and the counters (see slow_log_growth_check.h). A template:
-- {variables} and {status} are information_schema.GLOBAL_VARIABLES and GLOBAL_STATUS on
-- MariaDB, performance_schema.global_variables and global_status on MySQL and Percona
-- Server. A variable the server does not have gives no row (log_slow_rate_limit and
-- log_slow_filter are MariaDB's and Percona Server's, log_slow_disabled_statements
-- MariaDB's). Names compare without case.
-- Output: one row per variable: name, value as text.
SELECT VARIABLE_NAME AS slowscope_variable, VARIABLE_VALUE
  FROM {variables}
 WHERE VARIABLE_NAME IN ('hostname', 'datadir', 'slow_query_log', 'log_output',
                         'slow_query_log_file', 'log_slow_rate_limit', 'log_slow_filter',
                         'log_slow_disabled_statements')
UNION ALL
SELECT VARIABLE_NAME, VARIABLE_VALUE
  FROM {status}
 WHERE VARIABLE_NAME IN ('Slow_queries', 'Uptime')
