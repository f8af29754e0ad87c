/* slowscope */
-- MySQL and Percona Server only (MariaDB has no server_uuid): the server's stable identity.
SELECT @@server_uuid AS slowscope_server_uuid
