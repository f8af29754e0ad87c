SELECT id, shape_id, database_key, user_key, query_key, toplevel FROM statements
WHERE server_id = $1
ORDER BY id
