// Reading PostgreSQL's text output format (int8, float8, bool) straight from the bytes of a
// result field, without building a std::string or a stream per value: a poll of 5,000
// pg_stat_statements entries reads 135,000 such fields, and libpqxx 6.4 parses each
// floating-point value through a std::stringstream.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace slowscope {

// A bigint (int8, int4, oid) in PostgreSQL's text form; nullopt when `text` is not one.
std::optional<int64_t> parse_pg_int(std::string_view text);

// A double precision in PostgreSQL's text form, "NaN" and "[-]Infinity" included; the
// result is the correctly rounded double, as strtod gives. nullopt when `text` is not one.
std::optional<double> parse_pg_double(std::string_view text);

// A boolean in PostgreSQL's text form ("t" or "f"); nullopt otherwise.
std::optional<bool> parse_pg_bool(std::string_view text);

}  // namespace slowscope
