-- The events still firing at sink $1: each dedup key's latest event, where it is a trigger
-- the sink has been delivered. For receivers whose alerts lapse unless re-sent
-- (Alertmanager). Oldest first.
SELECT e.id, e.target, e.dedup_key, e.action, e.severity, e.summary, e.document,
  e.created_at
FROM alert_events AS e
JOIN alert_deliveries AS d ON d.event_id = e.id AND d.sink = $1 AND d.state = 'delivered'
WHERE e.action = 'trigger'
  AND e.id = (SELECT MAX(e2.id) FROM alert_events AS e2 WHERE e2.dedup_key = e.dedup_key)
ORDER BY e.id
