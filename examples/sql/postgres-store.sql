-- A PostgreSQL history store (store: postgresql://... in slowscope.yaml), which several
-- collectors, `check` in CI and the nightly report can share: a database of its own,
-- owned by the role that writes it, so that the role needs no other privilege.
-- slowscope creates and migrates its tables there (docs/STORE.md). Run as a superuser:
--
--   psql -v ON_ERROR_STOP=1 -f postgres-store.sql
--
-- then set a password (in psql: \password slowscope_store), keep it where libpq finds it
-- (~/.pgpass of the user slowscope runs as, or PGPASSWORD in CI), and point the store at it:
--   store: postgresql://slowscope_store@history-db.internal/slowscope

CREATE ROLE slowscope_store LOGIN;
-- The owner of the database owns its public schema (PostgreSQL 15 and later), so it may
-- create the store's tables there; nobody else needs to.
CREATE DATABASE slowscope OWNER slowscope_store;
