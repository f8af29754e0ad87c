-- First write of every cycle: takes the target's row lock (ordering the cycle against a
-- daily rollup of the same target), records the cycle time, moves samples_through up to
-- the end of the newest sample ($4), and pulls daily_through back to the earliest day the
-- cycle writes into ($3), so that a late sample's day is rolled up again.
UPDATE target_state SET
  last_cycle_at = $2,
  daily_through = CASE WHEN daily_through > $3 THEN $3 ELSE daily_through END,
  samples_through = CASE WHEN samples_through < $4 THEN $4 ELSE samples_through END
WHERE target_id = $1
