/* slowscope */
-- The session's init command, run by the client library before anything else the session
-- sends, Connector/C++'s own statements included: no statement of the session examines
-- this many rows, and neither MySQL nor MariaDB writes a statement that examined fewer to
-- the slow log (file or table), whatever long_query_time or log_queries_not_using_indexes
-- say. The alias keeps it recognisable in performance_schema digests.
SET SESSION min_examined_row_limit = (SELECT 4294967295 AS slowscope_quiet)
