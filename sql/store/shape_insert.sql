INSERT INTO shapes (hash, fingerprint, first_seen) VALUES ($1, $2, $3)
ON CONFLICT (hash) DO NOTHING
