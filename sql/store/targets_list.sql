SELECT t.id, t.name, t.engine, t.created_at, s.samples_through, s.daily_through,
  s.last_cycle_at
FROM targets AS t
JOIN target_state AS s ON s.target_id = t.id
ORDER BY t.name
