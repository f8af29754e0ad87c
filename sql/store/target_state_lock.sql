-- Takes the target's row lock before a rollup reads its mark (see target_state_touch).
UPDATE target_state SET daily_through = daily_through WHERE target_id = $1
