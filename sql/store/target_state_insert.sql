-- No samples yet, no day rolled up: both marks start at the epoch.
INSERT INTO target_state (target_id, samples_through, daily_through) VALUES ($1, 0, 0)
ON CONFLICT (target_id) DO NOTHING
