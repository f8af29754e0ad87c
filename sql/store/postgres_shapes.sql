-- The shapes of PostgreSQL targets' statements, with their fingerprints.
SELECT DISTINCT s.id, s.fingerprint
FROM shapes s
JOIN statements st ON st.shape_id = s.id
JOIN targets t ON t.id = st.target_id
WHERE t.engine = 'postgres'
ORDER BY s.id
