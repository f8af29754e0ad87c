SELECT st.id, sv.system_id, sv.version, st.database_key, st.user_key, st.query_key,
  st.toplevel, st.query_text, st.first_seen
FROM statements AS st
JOIN servers AS sv ON sv.id = st.server_id
WHERE st.target_id = $1 AND st.shape_id = $2
ORDER BY st.id
