-- Forgets target $1's alert events queued before $2 that no delivery refers to any more.
DELETE FROM alert_events
WHERE target = $1 AND created_at < $2
  AND NOT EXISTS (SELECT 1 FROM alert_deliveries AS d WHERE d.event_id = alert_events.id)
