-- What stats_info.sql reads, for an extension older than 1.9 (PostgreSQL 14), which has no
-- info view: unknown.
SELECT NULL::bigint AS dealloc, NULL::bigint AS stats_reset_us
