-- Run on every SQLite store connection, before journal_mode_wal.sql. busy_timeout makes a
-- second writer wait instead of failing; foreign keys are off by default in SQLite.
--
-- synchronous = NORMAL in WAL mode syncs the log at checkpoints, not at every commit: a
-- power failure or OS crash may lose the last committed cycles, but never leaves one half
-- written (an application crash loses nothing). The collector then recomputes them from
-- the checkpoint that was lost with them. In exchange a cycle costs no fsync.
--
-- The write-ahead log is folded into the database file by Store::checkpoint_log(), which a
-- collector calls after each cycle; the automatic checkpoint (default every 1,000 pages,
-- i.e. every cycle or two of a 5,000-statement server) would otherwise copy and sync the
-- log inside a cycle's commit. It stays on, at 10,000 pages (40 MB), for writers that never
-- call checkpoint_log().
--
-- Temporary B-trees (sorting, GROUP BY of the hourly rollup) stay in memory, and a 64 MiB
-- page cache (negative = KiB) holds the recent end of the sample tables and their indexes,
-- which every cycle writes into; the default is 2 MB.
PRAGMA busy_timeout = 10000;
PRAGMA synchronous = NORMAL;
PRAGMA wal_autocheckpoint = 10000;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
