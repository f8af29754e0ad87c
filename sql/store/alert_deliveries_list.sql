-- Deliveries of the outbox: of sink $1 ('' any), in state $2 ('' any), of events queued at
-- or after $3; newest first, at most $4.
SELECT e.id, e.target, e.dedup_key, e.action, e.severity, e.summary, e.document,
  e.created_at, d.state, d.attempts, d.first_attempt_at, d.next_attempt_at, d.last_error,
  d.updated_at, d.sink
FROM alert_deliveries AS d
JOIN alert_events AS e ON e.id = d.event_id
WHERE ($1 = '' OR d.sink = $1) AND ($2 = '' OR d.state = $2) AND e.created_at >= $3
ORDER BY e.id DESC, d.sink
LIMIT $4
