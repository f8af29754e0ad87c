-- Release markers with `at` in [$1, $2), of target $3 or of every target ('' rows), or of
-- any target when $4 is 1; oldest first.
SELECT name, target, at, meta FROM releases
WHERE at >= $1 AND at < $2 AND ($4 = 1 OR target = $3 OR target = '')
ORDER BY at, name, target
