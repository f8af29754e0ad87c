-- The shapes a query id typed by a user names (Store::shapes_matching): hashes starting
-- with $1 ($2 characters) or, when $4 > 0, ending with $3 ($4 characters), without regard
-- to case; $5 at most. Lengths are bound rather than computed from the text parameters so
-- that PostgreSQL infers every parameter's type. A scan of shapes: the unique index on hash
-- serves only exact ids (shape_by_hash.sql).
SELECT id, hash, fingerprint, first_seen FROM shapes
WHERE lower(substr(hash, 1, $2)) = $1
   OR ($4 > 0 AND length(hash) >= $4 AND lower(substr(hash, length(hash) - $4 + 1)) = $3)
ORDER BY hash
LIMIT $5
