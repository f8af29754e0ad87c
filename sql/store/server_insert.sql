INSERT INTO servers (target_id, system_id, version, first_seen) VALUES ($1, $2, $3, $4)
ON CONFLICT (target_id, system_id, version) DO NOTHING
