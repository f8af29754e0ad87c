-- The database file's pages: how many, their size, and how many are free (what a VACUUM
-- would give back), as of this connection's view of the file and its write-ahead log.
SELECT page_count, page_size, freelist_count
FROM pragma_page_count(), pragma_page_size(), pragma_freelist_count()
