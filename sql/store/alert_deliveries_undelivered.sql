-- Deliveries of the outbox not delivered (pending, or failed and kept until pruned),
-- counted by sink and state.
SELECT sink, state, COUNT(*)
FROM alert_deliveries
WHERE state <> 'delivered'
GROUP BY sink, state
ORDER BY sink, state
