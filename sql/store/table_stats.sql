-- Every table of the store with its rows and, for the sample tiers, the range of their
-- bucket_start (NULL when empty, and for the other tables): what `slowscope store stats`
-- shows. One statement, so that every count is of the same moment. Names every table of
-- store_table_names() (Store::stats checks it).
SELECT 'alert_deliveries', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM alert_deliveries
UNION ALL SELECT 'alert_events', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM alert_events
UNION ALL SELECT 'checkpoints', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM checkpoints
UNION ALL SELECT 'collector_events', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM collector_events
UNION ALL SELECT 'findings', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM findings
UNION ALL SELECT 'log_files', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM log_files
UNION ALL SELECT 'releases', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM releases
UNION ALL SELECT 'samples', COUNT(*), MIN(bucket_start), MAX(bucket_start) FROM samples
UNION ALL SELECT 'samples_daily', COUNT(*), MIN(bucket_start), MAX(bucket_start) FROM samples_daily
UNION ALL SELECT 'samples_hourly', COUNT(*), MIN(bucket_start), MAX(bucket_start) FROM samples_hourly
UNION ALL SELECT 'schema_version', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM schema_version
UNION ALL SELECT 'servers', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM servers
UNION ALL SELECT 'shape_tables', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM shape_tables
UNION ALL SELECT 'shapes', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM shapes
UNION ALL SELECT 'statements', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM statements
UNION ALL SELECT 'target_leases', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM target_leases
UNION ALL SELECT 'target_state', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM target_state
UNION ALL SELECT 'targets', COUNT(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM targets
