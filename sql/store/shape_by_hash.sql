-- The shape a user names by its query id (the hash `top` lists), through the unique index
-- on hash: `show` needs no ranking to find it.
SELECT id, hash, fingerprint, first_seen FROM shapes WHERE hash = $1
