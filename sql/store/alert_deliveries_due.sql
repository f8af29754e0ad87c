-- The deliveries sink $1 may attempt at $2: pending, due, not claimed by a live sender,
-- and the first pending event of their dedup key for the sink (per key, events go out in
-- order: a later one waits while an earlier one is pending). Oldest first, at most $3.
SELECT e.id, e.target, e.dedup_key, e.action, e.severity, e.summary, e.document,
  e.created_at, d.state, d.attempts, d.first_attempt_at, d.next_attempt_at, d.last_error,
  d.updated_at
FROM alert_deliveries AS d
JOIN alert_events AS e ON e.id = d.event_id
WHERE d.sink = $1 AND d.state = 'pending' AND d.next_attempt_at <= $2
  AND d.claimed_until <= $2
  AND NOT EXISTS (
    SELECT 1 FROM alert_deliveries AS d2
    JOIN alert_events AS e2 ON e2.id = d2.event_id
    WHERE d2.sink = d.sink AND d2.state = 'pending' AND e2.dedup_key = e.dedup_key
      AND e2.id < e.id)
ORDER BY e.id
LIMIT $3
