-- Writes the state of finding ($2 shape hash, $3 kind) of target id $1: a new identity is
-- inserted, a known one replaced. No row is written when the shape is unknown; the caller
-- learns so from the row count.
INSERT INTO findings (target_id, shape_id, kind, status, severity, opened_at, first_interval,
  last_seen_at, resolved_at, release_name, evidence, clean_passes, reopen_count)
SELECT $1, s.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM shapes AS s
WHERE s.hash = $2
ON CONFLICT (target_id, shape_id, kind) DO UPDATE SET
  status = excluded.status,
  severity = excluded.severity,
  opened_at = excluded.opened_at,
  first_interval = excluded.first_interval,
  last_seen_at = excluded.last_seen_at,
  resolved_at = excluded.resolved_at,
  release_name = excluded.release_name,
  evidence = excluded.evidence,
  clean_passes = excluded.clean_passes,
  reopen_count = excluded.reopen_count
