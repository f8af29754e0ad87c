-- Schema version 4 for PostgreSQL: nothing changes. SQLite turns samples_hourly into a
-- rowid table (sqlite/004_hourly_rowid.sql); PostgreSQL tables are heaps, whose rows an
-- update rewrites without touching the primary key already (HOT, see the fillfactor in
-- 001_init.sql). The version stays the same on both backends.
SELECT 1;
