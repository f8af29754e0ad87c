-- The MySQL or MariaDB user slowscope reads with (docs/MYSQL.md). What each source needs:
--
--   slow_log_file        no user at all: slowscope reads the file (on Debian, group adm
--                        may read /var/log/mysql; see examples/systemd/)
--   slow_log_table       SELECT on mysql.slow_log, and the server logging to the table:
--                          SET GLOBAL log_output = 'FILE,TABLE';
--                          SET GLOBAL slow_query_log = ON;
--   performance_schema   SELECT on performance_schema, and performance_schema = ON in
--                        the server's configuration (needs a restart)
--
-- slowscope needs no privilege to keep its own statements out of the slow log, and sets
-- only session variables. Run as an administrator, with a password of your own:
--
--   mariadb < mysql-user.sql          (mysql < mysql-user.sql for MySQL)
--
-- and put the password in the target's password_file (mode 0600, owned by slowscope).
-- For a server slowscope reaches over TCP, create the user at slowscope's host instead
-- of 'localhost'.

CREATE USER 'slowscope'@'localhost' IDENTIFIED BY 'change-this-password';

-- slow_log_table
GRANT SELECT ON mysql.slow_log TO 'slowscope'@'localhost';

-- performance_schema
GRANT SELECT ON performance_schema.* TO 'slowscope'@'localhost';
