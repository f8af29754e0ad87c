-- Replaces the fingerprint of shape $1 (the same normalized text, without literal values).
UPDATE shapes SET fingerprint = $2 WHERE id = $1
