#include "analyzer/config/setting_rules.h"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <stdexcept>
#include <string>

#include "analyzer/error/errors.h"
#include "analyzer/time/utc_time.h"

namespace slowscope {

std::string read_target_name(std::string_view name) {
  const auto lower_or_digit = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  const bool valid = !name.empty() && name.size() <= 63 && lower_or_digit(name[0]) &&
                     std::all_of(name.begin(), name.end(), [&](char c) {
                       return lower_or_digit(c) || c == '_' || c == '.' || c == '-';
                     });
  if (!valid) {
    throw InvalidInput("'" + std::string(name) +
                       "' must match [a-z0-9][a-z0-9_.-]* (at most 63 characters)");
  }
  return std::string(name);
}

int read_positive_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1) {
    throw InvalidInput("expected a whole number of at least 1, got '" + std::string(text) + "'");
  }
  return value;
}

double read_number(std::string_view text, double low, bool low_included, double high) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool above = low_included ? value >= low : value > low;
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !above ||
      !(value < high)) {
    std::ostringstream range;
    range << "expected a number " << (low_included ? "from " : "above ") << low << " and below "
          << high << ", got '" << text << "'";
    throw InvalidInput(range.str());
  }
  return value;
}

double read_share(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(value >= 0) ||
      !(value <= 1)) {
    throw InvalidInput("expected a share from 0 to 1 (0.05 = 5%), got '" + std::string(text) + "'");
  }
  return value;
}

std::chrono::microseconds read_duration(std::string_view text, std::string_view examples) {
  const std::optional<int64_t> us = parse_duration(text);
  if (!us) {
    throw InvalidInput("expected a duration such as " + std::string(examples) + ", got '" +
                       std::string(text) + "'");
  }
  return std::chrono::microseconds(*us);
}

std::chrono::seconds read_span(std::string_view text) {
  const auto us = read_duration(text);
  if (us < std::chrono::seconds(1)) {
    throw InvalidInput("must be at least 1s, got '" + std::string(text) + "'");
  }
  return std::chrono::duration_cast<std::chrono::seconds>(us);
}

double read_min_ratio(std::string_view text) {
  return read_number(text, 1, true, 1e6);
}

double read_min_delta_seconds(std::string_view text) {
  return std::chrono::duration<double>(read_duration(text, "1ms or 0.5ms")).count();
}

double read_fdr(std::string_view text) {
  return read_number(text, 0, false, 1);
}

}  // namespace slowscope
