SELECT id FROM servers WHERE target_id = $1 AND system_id = $2 AND version = $3
