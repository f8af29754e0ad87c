// Query shapes of PostgreSQL statements: the libpg_query fingerprint of a normalized
// statement (the same on every server and major version), its normalized text and the
// tables it touches. Pure functions; thread-safe (libpg_query keeps its state per thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/fingerprint/literal_free_text.h"
#include "analyzer/store/store.h"

namespace slowscope {

// Prefix of the hash of a statement libpg_query cannot parse: the shape is then keyed by a
// hash of its whitespace-collapsed text, which does not merge equivalent spellings.
inline constexpr std::string_view kUnparsedShapePrefix = "unparsed-";

// The shape of `query_text` as pg_stat_statements reports it (constants already replaced by
// $n, but not in utility statements): hash = the 16-hex-digit libpg_query fingerprint,
// fingerprint = postgres_literal_free_text() of the text, tables = "schema.table" or "table" for every relation read or
// written (common table expressions excluded), sorted.
ShapeInfo postgres_query_shape(std::string_view query_text);

// The relations named in a libpg_query JSON parse tree, as postgres_query_shape lists them.
// Throws nlohmann::json::exception on malformed JSON.
std::vector<std::string> tables_of_parse_tree(std::string_view json);

}  // namespace slowscope
