-- Open findings of target $1 ('' for every target), counted by target, kind and severity.
SELECT t.name, f.kind, f.severity, COUNT(*)
FROM findings AS f
JOIN targets AS t ON t.id = f.target_id
WHERE ($1 = '' OR t.name = $1) AND f.status = 'open'
GROUP BY t.name, f.kind, f.severity
ORDER BY t.name, f.kind, f.severity
