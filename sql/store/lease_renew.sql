-- Extends the lease of target $1 if owner $2 still holds it; changes no row otherwise.
UPDATE target_leases SET heartbeat_at = $3, expires_at = $4
WHERE target_id = $1 AND owner = $2
