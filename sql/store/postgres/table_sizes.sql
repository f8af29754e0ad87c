-- The size on disk of every table in schema $1 (the store's: Store::postgres_location),
-- with its indexes and TOAST data, in bytes.
SELECT c.relname, pg_total_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
