/* slowscope */
-- Every mysql.slow_log row at or after the watermark (a UTC 'YYYY-MM-DD HH:MM:SS.ffffff';
-- the session runs in UTC). The table is CSV and has no index: each read scans all of it
-- (see docs/MYSQL.md for keeping it small). A template: {rows_affected} is the column on
-- MariaDB and '' elsewhere.
-- Output columns, in order: start_time, user_host, query_time, lock_time, rows_sent,
-- rows_examined, db, last_insert_id, insert_id, server_id, sql_text, thread_id,
-- rows_affected, all as text.
SELECT CAST(start_time AS CHAR) AS slowscope_start_time, user_host,
       CAST(query_time AS CHAR), CAST(lock_time AS CHAR), rows_sent, rows_examined, db,
       last_insert_id, insert_id, server_id, sql_text, thread_id, {rows_affected}
  FROM mysql.slow_log
 WHERE start_time >= ?
 ORDER BY start_time
