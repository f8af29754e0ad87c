-- Every row of the release named $1 (one per target it applies to).
SELECT name, target, at, meta FROM releases WHERE name = $1 ORDER BY target
