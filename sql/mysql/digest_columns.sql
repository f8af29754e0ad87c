/* slowscope */
-- The columns of the digest summary table: QUANTILE_95/QUANTILE_99 exist on MySQL 8.0+
-- only (not on MariaDB or MySQL 5.7).
SELECT COLUMN_NAME AS slowscope_column
  FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA = 'performance_schema'
   AND TABLE_NAME = 'events_statements_summary_by_digest'
