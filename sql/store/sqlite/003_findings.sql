-- Schema version 3 for SQLite: findings and their lifecycle. Keep in step with
-- postgres/003_findings.sql. One row per finding identity (target, shape, kind); a finding
-- that comes back after it was resolved reopens its row (reopen_count). `evidence` is the
-- JSON of the latest detection that saw it; `release_name` the release it follows ('' for
-- none). Times are UTC epoch seconds; resolved_at is NULL while open.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  target_id BIGINT NOT NULL REFERENCES targets (id),
  shape_id BIGINT NOT NULL REFERENCES shapes (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  first_interval BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  resolved_at BIGINT,
  release_name TEXT NOT NULL,
  evidence TEXT NOT NULL,
  clean_passes INTEGER NOT NULL,
  reopen_count INTEGER NOT NULL,
  UNIQUE (target_id, shape_id, kind)
);

CREATE INDEX findings_by_status ON findings (target_id, status);
