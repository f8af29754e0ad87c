-- Recorded first in the migration's transaction: a concurrent migrator of the same version
-- waits on this key and then fails, instead of running the DDL twice.
INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)
