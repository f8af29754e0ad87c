-- Run on every SQLite store connection. WAL lets readers (top, show) run while a collector
-- writes; busy_timeout makes a second writer wait instead of failing; foreign keys are off
-- by default in SQLite.
--
-- synchronous = NORMAL in WAL mode syncs the log at checkpoints, not at every commit: a
-- power failure or OS crash may lose the last committed cycles, but never leaves one half
-- written (an application crash loses nothing). The collector then recomputes them from
-- the checkpoint that was lost with them. In exchange a cycle costs no fsync.
--
-- Temporary B-trees (sorting, GROUP BY of the hourly rollup) stay in memory, and a 64 MiB
-- page cache (negative = KiB) holds the recent end of the sample tables and their indexes,
-- which every cycle writes into; the default is 2 MB.
PRAGMA busy_timeout = 10000;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
