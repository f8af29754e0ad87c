/* slowscope */
-- Query text of the entries whose queryid is in $1 (bigint[]): run only for keys seen for
-- the first time, since reading texts makes the server load its whole query-text file.
SELECT userid::text, dbid::text, queryid::text, {toplevel}, query
  FROM {schema}.pg_stat_statements(showtext := true)
 WHERE queryid = ANY ($1::bigint[])
