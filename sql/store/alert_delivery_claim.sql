-- Claims the delivery of event $1 to sink $2 for sender $3 until $4, if it is still pending
-- and unclaimed at $5; the caller learns from the row count whether it got it.
UPDATE alert_deliveries SET claimed_by = $3, claimed_until = $4
WHERE event_id = $1 AND sink = $2 AND state = 'pending' AND claimed_until <= $5
