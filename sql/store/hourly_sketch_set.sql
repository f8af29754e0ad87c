-- Replaces the quantile sketch of one statement's hour ($1 target, $2 hour, $3 statement)
-- with $4, the merge of its raw samples' sketches.
UPDATE samples_hourly SET sketch = $4
WHERE target_id = $1 AND bucket_start = $2 AND statement_id = $3
