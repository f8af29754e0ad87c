/* slowscope */
-- MySQL / Percona Server session setup: times in UTC, and a timeout for SELECTs in
-- milliseconds (0: none). The subquery carries an alias so that the statement is
-- recognisable in performance_schema digests.
SET SESSION time_zone = (SELECT '+00:00' AS slowscope_session), max_execution_time = ?
