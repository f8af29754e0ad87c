-- Schema version 6 for SQLite: the store keeps no literal statement text unless a
-- target opts in (`examples: true`). Keep in step with postgres/006_literal_free_text.sql.
--
-- Statements written before kept their first literal text (passwords of CREATE USER,
-- values of SET, ...): drop it. The store then also rewrites, in C++, the fingerprints of
-- PostgreSQL shapes that still hold constants (utility statements; Store::Store), and on
-- SQLite rebuilds the file so that no page keeps the old text.
UPDATE statements SET query_text = '';
