/* slowscope */
-- A longer statement_timeout (text $1) for the text fetch that follows: loading the query-text
-- file of a busy server can take longer than a statistics poll. Set for the session, not a
-- transaction, so that the poller sends no BEGIN or COMMIT (they cannot carry this marker
-- into pg_stat_statements 16+); returns the timeout it replaced, which text_timeout_restore.sql
-- puts back. The CTE reads it before set_config changes it.
WITH previous AS MATERIALIZED (SELECT current_setting('statement_timeout') AS value)
SELECT value, set_config('statement_timeout', $1, false) FROM previous
