INSERT INTO shape_tables (shape_id, table_name) VALUES ($1, $2)
ON CONFLICT (shape_id, table_name) DO NOTHING
