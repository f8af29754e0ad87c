#include "reports/text/units.h"

#include <cmath>
#include <cstdio>

namespace slowscope {
namespace {

// Three significant digits: enough to compare, short enough for a column.
std::string three_digits(double value, const char* unit) {
  char buf[32];
  const char* format = value >= 100 ? "%.0f%s" : value >= 10 ? "%.1f%s" : "%.2f%s";
  std::snprintf(buf, sizeof buf, format, value, unit);
  return buf;
}

}  // namespace

std::string format_seconds(double s) {
  if (!std::isfinite(s)) return "-";
  const double a = std::fabs(s);
  if (a == 0) return "0";
  if (a < 1e-3) return three_digits(s * 1e6, "us");
  if (a < 1) return three_digits(s * 1e3, "ms");
  if (a < 60) return three_digits(s, "s");
  if (a < 3600) return three_digits(s / 60, "m");
  if (a < 86400) return three_digits(s / 3600, "h");
  return three_digits(s / 86400, "d");
}

std::string format_added_time(double s) {
  if (!std::isfinite(s)) return "-";
  const double a = std::fabs(s);
  const std::string sign = s < 0 ? "-" : "+";
  if (a == 0) return "+0 s/h";
  if (a < 1e-3) return sign + three_digits(a * 1e6, " us/h");
  if (a < 1) return sign + three_digits(a * 1e3, " ms/h");
  if (a < 60) return sign + three_digits(a, " s/h");
  if (a < 3600) return sign + three_digits(a / 60, " min/h");
  return sign + three_digits(a / 3600, " h/h");
}

std::string format_count(double n) {
  if (!std::isfinite(n)) return "-";
  const double a = std::fabs(n);
  char buf[32];
  if (a < 10000) {
    std::snprintf(buf, sizeof buf, n == std::floor(n) ? "%.0f" : "%.2f", n);
    return buf;
  }
  if (a < 1e6) return three_digits(n / 1e3, "k");
  if (a < 1e9) return three_digits(n / 1e6, "M");
  return three_digits(n / 1e9, "G");
}

std::string format_bytes(double b) {
  if (!std::isfinite(b)) return "-";
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int i = 0;
  while (std::fabs(b) >= 1024 && i < 4) {
    b /= 1024;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, i == 0 ? "%.0f%s" : "%.1f%s", b, units[i]);
  return buf;
}

}  // namespace slowscope
