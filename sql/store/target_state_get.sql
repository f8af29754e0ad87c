SELECT daily_through FROM target_state WHERE target_id = $1
