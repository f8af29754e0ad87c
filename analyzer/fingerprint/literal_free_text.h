// Literal-free text of a PostgreSQL statement: what the store keeps and reports show of a
// statement unless its target opted in to literal examples. Query text is attacker-
// controlled and may hold secrets (passwords, tokens, personal data); pg_stat_statements
// replaces constants by $n in most statements but keeps utility statements as they ran
// (ALTER ROLE ... PASSWORD '...', SET app.token = '...', COPY ... FROM '/path').
//
// Pure functions; thread-safe (libpg_query keeps its state per thread).
#pragma once

#include <string>
#include <string_view>

namespace slowscope {

// `text` with every constant replaced by a parameter ($n) and runs of whitespace collapsed
// to one space: libpg_query's normalization, then each constant it leaves (in utility
// statements) found by libpg_query's scanner. A statement that could hold a secret outside a
// constant — a PASSWORD clause, a SET of a custom (dotted) setting, whose value may be a bare
// word — becomes its leading keywords and "/* rest withheld */"; a text the scanner cannot
// read becomes kUnreadableStatement.
std::string postgres_literal_free_text(std::string_view text);

// What postgres_literal_free_text() gives for a text the scanner cannot read.
inline constexpr std::string_view kUnreadableStatement = "/* unreadable statement withheld */";

// `text` with each run of whitespace turned into one space and the ends trimmed.
std::string collapse_whitespace(std::string_view text);

}  // namespace slowscope
