-- Findings of target $1 ('' for every target) with status $2 ('' for any), still open or
-- resolved at or after $3, of shape hash $4 ('' for any) and kind $5 ('' for any); by
-- target, then oldest opened first.
SELECT t.name, s.hash, s.fingerprint, f.kind, f.status, f.severity, f.opened_at,
  f.first_interval, f.last_seen_at, f.resolved_at, f.release_name, f.evidence,
  f.clean_passes, f.reopen_count
FROM findings AS f
JOIN targets AS t ON t.id = f.target_id
JOIN shapes AS s ON s.id = f.shape_id
WHERE ($1 = '' OR t.name = $1) AND ($2 = '' OR f.status = $2)
  AND (f.resolved_at IS NULL OR f.resolved_at >= $3)
  AND ($4 = '' OR s.hash = $4) AND ($5 = '' OR f.kind = $5)
ORDER BY t.name, f.opened_at, s.hash, f.kind
