SELECT id, engine FROM targets WHERE name = $1
