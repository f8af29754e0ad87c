/* slowscope */
-- Puts back the statement_timeout (text $1) text_timeout.sql replaced for the text fetch.
SELECT set_config('statement_timeout', $1, false)
