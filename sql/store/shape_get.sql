SELECT id, hash, fingerprint, first_seen FROM shapes WHERE id = $1
