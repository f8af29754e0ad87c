UPDATE target_state SET daily_through = $2 WHERE target_id = $1
