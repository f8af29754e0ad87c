SELECT value FROM checkpoints WHERE target_id = $1 AND name = $2
