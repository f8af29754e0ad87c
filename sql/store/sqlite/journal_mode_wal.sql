-- Puts the store file in write-ahead-log mode and returns the mode it is in ("wal"; "memory"
-- for an in-memory database). WAL lets readers (top, show, check) run while a collector
-- writes. A property of the file: after the first connection converted it, this takes no
-- lock. Run on every connection after session.sql (SqliteConnection retries it while
-- another connection holds the file: SQLite does not wait for this one by busy_timeout).
PRAGMA journal_mode = WAL
