INSERT INTO collector_events (target_id, at, kind, message) VALUES ($1, $2, $3, $4)
