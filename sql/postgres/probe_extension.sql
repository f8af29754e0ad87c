/* slowscope */
-- The schema and version of the pg_stat_statements extension in this database, the columns
-- of its view, and whether pg_stat_statements_info exists: the column set is chosen from
-- these rows, not from the server version.
SELECT n.nspname, e.extversion, a.attname,
       to_regclass(quote_ident(n.nspname) || '.pg_stat_statements_info') IS NOT NULL
  FROM pg_extension e
  JOIN pg_namespace n ON n.oid = e.extnamespace
  JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'pg_stat_statements'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE e.extname = 'pg_stat_statements'
