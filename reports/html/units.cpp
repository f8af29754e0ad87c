#include "reports/html/units.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <stdexcept>

namespace slowscope::html {
namespace {

struct Unit {
  double size;
  std::string_view suffix;
};

// Largest first; the last is used for whatever is smaller.
constexpr Unit kDurationUnits[] = {{3600, " h"},  {60, " min"},       {1, " s"},
                                   {1e-3, " ms"}, {1e-6, " \u00B5s"}, {1e-9, " ns"}};
constexpr Unit kCountUnits[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
constexpr Unit kByteUnits[] = {{1099511627776.0, " TiB"},
                               {1073741824.0, " GiB"},
                               {1048576.0, " MiB"},
                               {1024.0, " KiB"},
                               {1, " B"}};

// `value` >= 0 with `decimals` digits after the point; to_chars knows no locale.
std::string fixed(double value, int decimals) {
  char buf[400];  // DBL_MAX has 309 integer digits
  const auto result =
      std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  if (result.ec != std::errc()) throw std::logic_error("units: number does not fit");
  return std::string(buf, result.ptr);
}

int significant_digits(std::string_view digits) {
  int count = 0;
  bool leading = true;
  for (const char c : digits) {
    if (c < '0' || c > '9') continue;
    if (c != '0') leading = false;
    if (!leading) ++count;
  }
  return count;
}

// `value` > 0 rounded to three significant digits: 1.2345 -> "1.23", 99.96 -> "100",
// 0.012345 -> "0.0123". No more than 20 decimals, so a denormal prints as zeros.
std::string three_significant(double value) {
  int decimals = std::clamp(2 - static_cast<int>(std::floor(std::log10(value))), 0, 20);
  std::string text = fixed(value, decimals);
  // Rounding up may carry into a fourth digit (9.996 -> "10.00"); one decimal fewer then.
  if (decimals > 0 && significant_digits(text) > 3) text = fixed(value, decimals - 1);
  return text;
}

bool at_least_one(std::string_view digits) {
  return !digits.empty() && digits[0] != '0';
}

// |value| in the largest of `units` in which its rounded value is at least 1. With
// `whole_exactly`, a whole number in the last unit prints exactly (1023 B, not 1.02 KiB).
std::string magnitude(double value, std::span<const Unit> units, bool whole_exactly = false) {
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& unit = units[i];
    const double scaled = value / unit.size;
    const bool last = i + 1 == units.size();
    if (last && whole_exactly && scaled == std::floor(scaled)) {
      return fixed(scaled, 0) + std::string(unit.suffix);
    }
    std::string digits = three_significant(scaled);
    // A value on the rounding edge between two units (999.5 µs, when 0.9995 ms came out as
    // 0.999 after its own division) rounds to a fourth digit here: it is 1.00 of the unit
    // above, as three significant digits have it.
    if (i > 0 && digits.find('.') == std::string::npos && digits.size() > 3 &&
        units[i - 1].size / unit.size <= 1024) {
      return "1.00" + std::string(units[i - 1].suffix);
    }
    if (at_least_one(digits) || last) return digits + std::string(unit.suffix);
  }
  return {};  // not reached: the last unit always returns
}

std::string duration_body(double a) {
  return magnitude(a, kDurationUnits);
}
std::string count_body(double a) {
  return magnitude(a, kCountUnits, true);
}
std::string bytes_body(double a) {
  return magnitude(a, kByteUnits, true);
}
std::string percent_body(double a) {
  return three_significant(a * 100) + "%";
}
std::string ratio_body(double a) {
  return three_significant(a) + "\u00D7";
}

enum class Sign { kNegativeOnly, kAlways };

// The sign convention of this file: U+2212 for negatives, '+' for positives with
// Sign::kAlways, nothing for zero, which is written `zero`.
std::string with_sign(double value, Sign sign, std::string_view zero, std::string (*body)(double)) {
  if (!std::isfinite(value)) return std::string(kNotANumber);
  if (value == 0) return std::string(zero);
  std::string text = value < 0 ? std::string(kMinus) : sign == Sign::kAlways ? "+" : "";
  return text + body(std::fabs(value));
}

// Decimals that show every multiple of `step` exactly (up to 6): 0.5 -> 1, 0.25 -> 2, 5 -> 0.
int decimals_for_step(double step) {
  for (int decimals = 0; decimals < 6; ++decimals) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::fabs(scaled - std::round(scaled)) <= 1e-6 * std::max(1.0, scaled)) return decimals;
  }
  return 6;
}

Unit largest_unit_at_most(double value, std::span<const Unit> units) {
  for (const Unit& unit : units) {
    if (value >= unit.size * (1 - 1e-9)) return unit;
  }
  return units.back();
}

}  // namespace

std::string format_duration(double seconds) {
  return with_sign(seconds, Sign::kNegativeOnly, "0 s", duration_body);
}
std::string format_count(double count) {
  return with_sign(count, Sign::kNegativeOnly, "0", count_body);
}
std::string format_rate(double per_second) {
  if (!std::isfinite(per_second)) return std::string(kNotANumber);
  return format_count(per_second) + "/s";
}
std::string format_bytes(double bytes) {
  return with_sign(bytes, Sign::kNegativeOnly, "0 B", bytes_body);
}
std::string format_percent(double fraction) {
  return with_sign(fraction, Sign::kNegativeOnly, "0%", percent_body);
}
std::string format_ratio(double ratio) {
  return with_sign(ratio, Sign::kNegativeOnly, "0\u00D7", ratio_body);
}

std::string format_duration_change(double seconds) {
  return with_sign(seconds, Sign::kAlways, "0 s", duration_body);
}
std::string format_count_change(double count) {
  return with_sign(count, Sign::kAlways, "0", count_body);
}
std::string format_percent_change(double fraction) {
  return with_sign(fraction, Sign::kAlways, "0%", percent_body);
}

std::vector<std::string> axis_labels(const std::vector<double>& ticks, double step,
                                     Quantity quantity) {
  if (!(step > 0) || !std::isfinite(step)) throw std::logic_error("axis_labels: step must be > 0");
  double largest = 0;
  for (const double tick : ticks) largest = std::max(largest, std::fabs(tick));

  Unit unit{1, ""};
  if (quantity == Quantity::kDurationSeconds) {
    // Steps of minutes or hours read as such ("15 min", "30 min"), not as fractions of the
    // next unit ("0.25 h"); shorter steps use the unit of the largest tick.
    if (step >= 3600) {
      unit = kDurationUnits[0];
    } else if (step >= 60) {
      unit = kDurationUnits[1];
    } else {
      unit = largest_unit_at_most(largest, std::span(kDurationUnits).subspan(2));
    }
  } else {
    unit = largest_unit_at_most(largest, kCountUnits);
  }
  const std::string suffix =
      std::string(unit.suffix) + (quantity == Quantity::kRatePerSecond ? "/s" : "");
  const int decimals = decimals_for_step(step / unit.size);

  std::vector<std::string> labels;
  labels.reserve(ticks.size());
  for (const double tick : ticks) {
    const std::string digits = fixed(std::fabs(tick) / unit.size, decimals);
    if (significant_digits(digits) == 0) {
      labels.push_back("0");
    } else {
      labels.push_back((tick < 0 ? std::string(kMinus) : std::string()) + digits + suffix);
    }
  }
  return labels;
}

}  // namespace slowscope::html
