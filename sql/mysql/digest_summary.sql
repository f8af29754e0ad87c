/* slowscope */
-- Cumulative counters of every statement digest. Timers are picoseconds; FIRST_SEEN and
-- LAST_SEEN come as UTC text. A template: {quantile_95}/{quantile_99} are the columns on
-- MySQL 8.0+ and NULL elsewhere. The row with a NULL DIGEST counts statements that found
-- the table full.
-- Output columns, in order: schema, digest, digest_text, count_star, sum/min/max timer
-- wait, sum_lock_time, rows sent/examined/affected, first_seen, last_seen, p95, p99.
SELECT SCHEMA_NAME AS slowscope_schema, DIGEST, DIGEST_TEXT, COUNT_STAR,
       SUM_TIMER_WAIT, MIN_TIMER_WAIT, MAX_TIMER_WAIT, SUM_LOCK_TIME,
       SUM_ROWS_SENT, SUM_ROWS_EXAMINED, SUM_ROWS_AFFECTED,
       CAST(FIRST_SEEN AS CHAR), CAST(LAST_SEEN AS CHAR),
       {quantile_95}, {quantile_99}
  FROM performance_schema.events_statements_summary_by_digest
