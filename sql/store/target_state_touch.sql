-- First write of every cycle: takes the target's row lock (ordering the cycle against a
-- daily rollup of the same target), records the cycle time ($2), moves samples_through up
-- to the end of the newest sample ($3), and returns daily_through: a sample of a day before
-- it goes into its daily row as it is stored, since the rollup does not come back to it.
UPDATE target_state SET
  last_cycle_at = $2,
  samples_through = CASE WHEN samples_through < $3 THEN $3 ELSE samples_through END
WHERE target_id = $1
RETURNING daily_through
