-- Queues alert event ($1 target name, $2 dedup key, $3 action, $4 severity, $5 summary,
-- $6 document, $7 created at) and returns its id.
INSERT INTO alert_events (target, dedup_key, action, severity, summary, document, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id
