INSERT INTO targets (name, engine, created_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO NOTHING
