-- Run on every SQLite store connection. WAL lets readers (top, show) run while a collector
-- writes; busy_timeout makes a second writer wait instead of failing; foreign keys are off
-- by default in SQLite.
PRAGMA busy_timeout = 10000;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
