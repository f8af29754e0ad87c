SELECT id, shape_id FROM statements
WHERE server_id = $1 AND database_key = $2 AND user_key = $3 AND query_key = $4
  AND toplevel = $5
