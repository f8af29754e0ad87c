#include "connectors/postgres/pg_text_value.h"

#include <charconv>
#include <cstdlib>
#include <string>

namespace slowscope {

std::optional<int64_t> parse_pg_int(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

std::optional<double> parse_pg_double(std::string_view text) {
  // from_chars accepts "nan" and "inf"/"infinity" in any case, which covers PostgreSQL's
  // "NaN", "Infinity" and "-Infinity".
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ptr != end || text.empty()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Too large or too small for a double: strtod's answer (±HUGE_VAL, or the nearest
    // subnormal or zero), as the old parser gave.
    return std::strtod(std::string(text).c_str(), nullptr);
  }
  if (ec != std::errc()) return std::nullopt;
  return value;
}

std::optional<bool> parse_pg_bool(std::string_view text) {
  if (text == "t") return true;
  if (text == "f") return false;
  return std::nullopt;
}

}  // namespace slowscope
