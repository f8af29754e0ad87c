#include "reports/text/finding_text.h"

#include <cstdio>

#include "reports/text/digest_text.h"
#include "reports/text/units.h"

namespace slowscope {
namespace {

std::string fixed(double value, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

void write_finding_text(std::ostream& out, const Finding& f) {
  out << "  " << to_string(f.severity) << "  " << to_string(f.key.kind) << "  "
      << terminal_safe(f.key.shape_hash, 40) << "  ";
  if (f.daily_rise) {
    out << "trending slower: +" << fixed(*f.daily_rise * 100, "%.1f") << "%/day, ";
  }
  out << format_seconds(f.before_mean) << " -> " << format_seconds(f.after_mean) << " per call (x"
      << fixed(f.ratio, "%.2f") << "), +" << format_seconds(f.added_seconds_per_hour)
      << "/h of database time, q=" << fixed(f.q_value, "%.2e") << "\n    "
      << terminal_safe(f.fingerprint, 1000) << "\n";
}

}  // namespace slowscope
