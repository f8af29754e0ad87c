-- Records a release marker; a (name, target) recorded before is left as it was, and the
-- caller learns so from the row count.
INSERT INTO releases (name, target, at, meta, recorded_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (name, target) DO NOTHING
