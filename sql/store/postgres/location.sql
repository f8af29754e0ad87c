-- Where the store's tables are: the cluster (as pg_control_system() names it), the database
-- (its oid, as pg_stat_statements' dbid) and the schema its tables were created in (the
-- first schema of the search_path that exists).
SELECT (SELECT system_identifier FROM pg_control_system())::text,
       (SELECT oid FROM pg_database WHERE datname = current_database())::text,
       current_schema()
