-- Gives the space of deleted rows back to the store's tables and refreshes the planner's
-- statistics of them (Store::vacuum). One statement, since VACUUM runs outside any
-- transaction block, a script of several statements included; PostgreSQL vacuums each
-- table in a transaction of its own. Names every table of store_table_names().
VACUUM (ANALYZE)
  alert_deliveries, alert_events, checkpoints, collector_events, findings, log_files,
  releases, samples, samples_daily, samples_hourly, schema_version, servers,
  shape_tables, shapes, statements, target_leases, target_state, targets
