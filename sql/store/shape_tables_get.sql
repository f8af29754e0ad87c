SELECT table_name FROM shape_tables WHERE shape_id = $1 ORDER BY table_name
