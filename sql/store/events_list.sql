SELECT at, kind, message FROM collector_events
WHERE target_id = $1 AND at >= $2 AND at < $3
ORDER BY at, id
