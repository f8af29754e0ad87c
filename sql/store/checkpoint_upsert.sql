INSERT INTO checkpoints (target_id, name, value, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (target_id, name) DO UPDATE SET value = excluded.value,
  updated_at = excluded.updated_at
