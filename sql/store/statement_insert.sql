INSERT INTO statements (
  target_id, server_id, database_key, user_key, query_key, toplevel, shape_id, query_text,
  first_seen
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (server_id, database_key, user_key, query_key, toplevel) DO NOTHING
