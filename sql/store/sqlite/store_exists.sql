-- 1 when the database holds slowscope's migration ledger and its targets table, else 0:
-- whether a file a reader opens (StoreOpen::kMustExist) is a store, asked without creating
-- anything. Both, because another program may keep a table called schema_version too.
SELECT CASE WHEN COUNT(*) = 2 THEN 1 ELSE 0 END FROM sqlite_master
WHERE type = 'table' AND name IN ('schema_version', 'targets')
