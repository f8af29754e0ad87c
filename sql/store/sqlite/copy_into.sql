-- Writes a consistent copy of the database into file $1, which must be empty or missing:
-- one read transaction, so writers go on meanwhile. Free pages are left out.
VACUUM INTO $1
