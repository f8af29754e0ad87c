DELETE FROM collector_events WHERE target_id = $1 AND at < $2
