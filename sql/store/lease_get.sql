-- The lease of target $1, if any: who holds it and until when.
SELECT owner, host, pid, scope, acquired_at, heartbeat_at, expires_at
FROM target_leases WHERE target_id = $1
