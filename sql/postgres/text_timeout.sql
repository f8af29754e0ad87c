/* slowscope */
-- A longer statement_timeout for the text fetch only (this transaction): loading the
-- query-text file of a busy server can take longer than a statistics poll.
SELECT set_config('statement_timeout', $1, true)
