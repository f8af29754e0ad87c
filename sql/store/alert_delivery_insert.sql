-- Makes event $1 pending for sink $2, due at once ($3: now).
INSERT INTO alert_deliveries (event_id, sink, state, attempts, first_attempt_at,
  next_attempt_at, claimed_by, claimed_until, last_error, updated_at)
VALUES ($1, $2, 'pending', 0, NULL, $3, '', 0, '', $3)
