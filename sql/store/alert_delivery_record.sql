-- Records an attempt of sender $3 to deliver event $1 to sink $2: state $4, next attempt at
-- $5, error $6, at $7. Releases the claim. Changes nothing when another sender has claimed
-- the row since (this sender's claim expired).
UPDATE alert_deliveries SET state = $4, attempts = attempts + 1,
  first_attempt_at = COALESCE(first_attempt_at, $7), next_attempt_at = $5, last_error = $6,
  updated_at = $7, claimed_by = '', claimed_until = 0
WHERE event_id = $1 AND sink = $2 AND claimed_by = $3
