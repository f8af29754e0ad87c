-- Sets the quantile sketch of one statement's day ($1 target, $2 day, $3 statement) to $4,
-- the merge of its hours' sketches; the row itself is rollup_daily.sql's.
UPDATE samples_daily SET sketch = $4
WHERE target_id = $1 AND bucket_start = $2 AND statement_id = $3
