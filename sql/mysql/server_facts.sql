/* slowscope */
-- Who the server is, read once per connection. The alias keeps the statement recognisable
-- in performance_schema digests, which drop comments but keep identifiers.
-- Output: version, version_comment, hostname, port, server_id, this connection's id.
SELECT @@version AS slowscope_version, @@version_comment, @@hostname, @@port, @@server_id,
       CONNECTION_ID()
