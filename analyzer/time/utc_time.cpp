#include "analyzer/time/utc_time.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;

// Floor division, so that times before 1970 still split into a day and a time of day.
int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Reads exactly `width` digits at `pos`; advances `pos` on success.
bool read_digits(std::string_view s, size_t& pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  pos += width;
  return true;
}

// `seconds` in microseconds, or nullopt when it is not a number or falls outside the times
// slowscope reads (kEarliestUtcMicros..kLatestUtcMicros, far inside what int64 holds): a
// cast of a larger double to int64 is undefined.
std::optional<int64_t> micros_of(double seconds) {
  const double micros = seconds * kMicrosPerSecond;
  if (!std::isfinite(micros) || micros < static_cast<double>(kEarliestUtcMicros) ||
      micros > static_cast<double>(kLatestUtcMicros)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(micros);
}

// Parses "<number><unit>" into seconds; nullopt when malformed, negative or not finite.
std::optional<double> duration_seconds(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || !std::isfinite(value) || value < 0) return std::nullopt;
  std::string_view unit(end, s.data() + s.size() - end);
  double seconds_per_unit;
  if (unit.empty() || unit == "s") {
    seconds_per_unit = 1;
  } else if (unit == "ms") {
    seconds_per_unit = 0.001;
  } else if (unit == "m" || unit == "min") {
    seconds_per_unit = 60;
  } else if (unit == "h") {
    seconds_per_unit = 3600;
  } else if (unit == "d") {
    seconds_per_unit = 86400;
  } else if (unit == "w") {
    seconds_per_unit = 7 * 86400;
  } else {
    return std::nullopt;
  }
  return value * seconds_per_unit;
}

bool consume(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::string format_utc(int64_t epoch_us) {
  using namespace std::chrono;
  const int64_t seconds = floor_div(epoch_us, kMicrosPerSecond);
  const int64_t micros = epoch_us - seconds * kMicrosPerSecond;
  const int64_t days = floor_div(seconds, 86400);
  const int64_t second_of_day = seconds - days * 86400;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()), int(second_of_day / 3600),
                        int(second_of_day / 60 % 60), int(second_of_day % 60));
  if (micros != 0) n += std::snprintf(buf + n, sizeof buf - n, ".%06d", int(micros));
  std::snprintf(buf + n, sizeof buf - n, "Z");
  return buf;
}

std::optional<int64_t> parse_utc(std::string_view s) {
  using namespace std::chrono;
  if (s.empty()) return std::nullopt;
  if (s.find('-', 1) == std::string_view::npos) {  // plain epoch seconds, maybe fractional
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return micros_of(value);
  }
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 4, y) || !consume(s, pos, '-') || !read_digits(s, pos, 2, mo) ||
      !consume(s, pos, '-') || !read_digits(s, pos, 2, d))
    return std::nullopt;
  int64_t micros = 0;
  if (consume(s, pos, 'T') || consume(s, pos, ' ')) {
    if (!read_digits(s, pos, 2, h) || !consume(s, pos, ':') || !read_digits(s, pos, 2, mi))
      return std::nullopt;
    if (consume(s, pos, ':')) {
      if (!read_digits(s, pos, 2, sec)) return std::nullopt;
      if (consume(s, pos, '.')) {
        int64_t scale = 100000;
        size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (scale > 0) micros += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
          ++digits;
        }
        if (digits == 0) return std::nullopt;
      }
    }
  }
  int64_t offset_seconds = 0;
  if (consume(s, pos, 'Z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos++] == '-' ? -1 : 1;
    int oh, om = 0;
    if (!read_digits(s, pos, 2, oh)) return std::nullopt;
    consume(s, pos, ':');
    if (pos < s.size() && !read_digits(s, pos, 2, om)) return std::nullopt;
    offset_seconds = sign * (oh * 3600 + om * 60);
  }
  if (pos != s.size()) return std::nullopt;
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  const int64_t days = sys_days{ymd}.time_since_epoch().count();
  const int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_seconds;
  const int64_t us = seconds * kMicrosPerSecond + micros;
  // An offset can move 0000-01-01 or 9999-12-31 past the range.
  if (us < kEarliestUtcMicros || us > kLatestUtcMicros) return std::nullopt;
  return us;
}

std::optional<int64_t> parse_duration(std::string_view s) {
  const std::optional<double> seconds = duration_seconds(s);
  if (!seconds) return std::nullopt;
  return micros_of(*seconds);
}

std::string format_duration(int64_t micros) {
  static constexpr std::pair<int64_t, const char*> kUnits[] = {{86400 * kMicrosPerSecond, "d"},
                                                               {3600 * kMicrosPerSecond, "h"},
                                                               {60 * kMicrosPerSecond, "m"},
                                                               {kMicrosPerSecond, "s"},
                                                               {kMicrosPerSecond / 1000, "ms"}};
  for (const auto& [size, unit] : kUnits) {
    if (micros != 0 && micros % size == 0) return std::to_string(micros / size) + unit;
  }
  if (micros == 0) return "0s";
  std::string fraction = std::to_string(1000 + micros % 1000).substr(1);  // 3 digits
  while (fraction.back() == '0') fraction.pop_back();
  return std::to_string(micros / 1000) + "." + fraction + "ms";
}

int64_t parse_time_argument(std::string_view text, int64_t now_us) {
  const auto out_of_range = [&] {
    return InvalidInput("time '" + std::string(text) +
                        "' is out of range: slowscope reads times from " +
                        format_utc(kEarliestUtcMicros) + " to " + format_utc(kLatestUtcMicros));
  };
  // A bare number is ambiguous (epoch or seconds ago); the epoch reading wins, and a
  // duration needs a unit.
  if (auto absolute = parse_utc(text)) return *absolute;
  if (!text.empty() && !(text.back() >= '0' && text.back() <= '9')) {
    if (duration_seconds(text)) {
      // Both within the range of times, so the difference cannot overflow.
      const std::optional<int64_t> ago = parse_duration(text);
      if (!ago || now_us - *ago < kEarliestUtcMicros) throw out_of_range();
      return now_us - *ago;
    }
  }
  double epoch_seconds = 0;
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), epoch_seconds);
      !text.empty() && end == text.data() + text.size() &&
      (ec == std::errc::result_out_of_range ||
       (ec == std::errc() && std::isfinite(epoch_seconds)))) {
    throw out_of_range();  // a number parse_utc refused: beyond the range of times
  }
  throw InvalidInput("cannot read time '" + std::string(text) +
                     "': use 2024-03-01, '2024-03-01 12:00:00', 2024-03-01T12:00:00Z, "
                     "+hh:mm offsets, epoch seconds, or a duration ago such as 30m, 12h, 7d");
}

}  // namespace slowscope
