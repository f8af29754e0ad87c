-- Rebuilds the database file and empties its write-ahead log, so that no free page or old
-- log frame keeps text the store has just overwritten.
VACUUM;
PRAGMA wal_checkpoint(TRUNCATE);
