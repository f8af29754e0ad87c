-- The migration ledger: one row per applied migration. Created before anything else so
-- that a store of any version can say which version it is.
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)
