// Table extraction: which tables a statement names, for the per-class "Tables" list of a
// report (pt-query-digest's SHOW CREATE TABLE / SHOW TABLE STATUS hints). A pure
// function, safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace slowscope {

// Tables a statement touches, lowercased as written ("db.tbl" kept qualified),
// de-duplicated, in first-seen order, backticks removed. A lexical scan in the spirit of
// pt's QueryParser::get_tables: it follows FROM, JOIN, INTO, UPDATE, TABLE and friends
// and skips derived tables, CTE names, functions and names without a letter; it does not
// resolve aliases or views. Never throws on malformed SQL; returns what it recognised.
std::vector<std::string> extract_tables(std::string_view query);

}  // namespace slowscope
