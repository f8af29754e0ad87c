-- Forgets the settled deliveries (delivered or failed) of target $1's alert events queued
-- before $2, except those of each dedup key's latest event: what is firing, and what a
-- resolve is read from.
DELETE FROM alert_deliveries
WHERE state <> 'pending' AND event_id IN (
  SELECT e.id FROM alert_events AS e
  WHERE e.target = $1 AND e.created_at < $2
    AND e.id < (SELECT MAX(e2.id) FROM alert_events AS e2 WHERE e2.dedup_key = e.dedup_key))
