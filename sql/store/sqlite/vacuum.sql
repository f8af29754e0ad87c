-- Rebuilds the database file and empties its write-ahead log: the free pages of deleted
-- rows go back to the file system (Store::vacuum), and no free page or old log frame keeps
-- text the store has just overwritten (the literal-text scrub). The checkpoint waits
-- (busy_timeout) for readers of old log frames; if they stay, it leaves what they need.
--
-- VACUUM builds the new file as a temporary database first: on disk (SQLITE_TMPDIR or
-- TMPDIR, else /var/tmp), not in memory as the session's temp_store says, or a store of
-- 10 GB would take 10 GB of memory. The session's setting comes back after it (and from
-- session.sql when this script fails).
PRAGMA temp_store = FILE;
VACUUM;
PRAGMA temp_store = MEMORY;
PRAGMA wal_checkpoint(TRUNCATE);
