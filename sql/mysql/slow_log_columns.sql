/* slowscope */
-- The columns of mysql.slow_log: which exist (rows_affected is MariaDB's) and the
-- fractional-second precision of the time columns (0 on servers that log whole seconds).
SELECT COLUMN_NAME AS slowscope_column, DATETIME_PRECISION
  FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'slow_log'
