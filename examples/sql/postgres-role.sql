-- The PostgreSQL role slowscope collects as: it may read the pg_stat_statements entries
-- of every role and database, and nothing else. Run it as a superuser in each database a
-- target's dsn names:
--
--   psql -v ON_ERROR_STOP=1 -d orders -f postgres-role.sql
--
-- The server needs pg_stat_statements preloaded (postgresql.conf, then a restart):
--   shared_preload_libraries = 'pg_stat_statements'
-- (docs/COLLECT.md, "What the server needs").

-- The view slowscope reads, in the database it connects to (needs a superuser once).
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

-- LOGIN without a password: on the database host, connect over the unix socket as the
-- system user slowscope (peer authentication, Debian's default for local connections;
-- dsn "host=/var/run/postgresql dbname=orders user=slowscope"). For a remote target, give
-- it a password (in psql: \password slowscope) and put that in the target's password_file.
CREATE ROLE slowscope LOGIN;

-- Every role's statements, not only its own: without this, other roles' entries read
-- "<insufficient privilege>" and are left out (collect says so and names this grant).
GRANT pg_read_all_stats TO slowscope;

-- The database itself (PUBLIC may connect by default; a hardened server revokes that).
GRANT CONNECT ON DATABASE :"DBNAME" TO slowscope;
