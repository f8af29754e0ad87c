-- Gives up the lease of target $1 if owner $2 holds it.
DELETE FROM target_leases WHERE target_id = $1 AND owner = $2
