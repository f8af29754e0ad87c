-- Gives the lease of target $1 to a holder (a new one, or the same one renewing it), after
-- the caller has checked, under the target's row lock, that it may.
INSERT INTO target_leases (target_id, owner, host, pid, scope, acquired_at, heartbeat_at,
                           expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (target_id) DO UPDATE SET owner = excluded.owner, host = excluded.host,
  pid = excluded.pid, scope = excluded.scope, acquired_at = excluded.acquired_at,
  heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
