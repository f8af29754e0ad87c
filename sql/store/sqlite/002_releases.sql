-- Schema version 2 for SQLite: release markers. Keep in step with postgres/002_releases.sql.
-- A release applies to one target, or to every target when `target` is ''; `meta` is a JSON
-- object of string values (commit, version, ...). Times are UTC epoch seconds.
CREATE TABLE releases (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  target TEXT NOT NULL,
  at BIGINT NOT NULL,
  meta TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  UNIQUE (name, target)
);

CREATE INDEX releases_by_time ON releases (at);
