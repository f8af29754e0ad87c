-- 1 when the search path reaches slowscope's migration ledger and its targets table, else 0:
-- whether a database a reader opens (StoreOpen::kMustExist) is a store, asked without
-- creating anything. Both, because another program may keep a table called schema_version
-- too; they are found as the store's own unqualified statements find them.
SELECT CASE WHEN to_regclass('schema_version') IS NULL OR to_regclass('targets') IS NULL
  THEN 0 ELSE 1 END
