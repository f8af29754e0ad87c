/* slowscope */
-- MariaDB session setup: times in UTC (TIMESTAMP columns come back as UTC text and compare
-- against UTC text), and a statement timeout, given in milliseconds (0: none). The subquery carries an
-- alias so that the statement is recognisable in performance_schema digests.
SET SESSION time_zone = (SELECT '+00:00' AS slowscope_session), max_statement_time = ? / 1000
