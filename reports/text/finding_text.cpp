#include "reports/text/finding_text.h"

#include <cstdio>
#include <sstream>

#include "reports/text/digest_text.h"
#include "reports/text/units.h"

namespace slowscope {
namespace {

std::string fixed(double value, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string number(double value) {
  return fixed(value, "%.3g");
}

// What changed, in the kind's own measure.
std::string evidence(const Finding& f) {
  std::ostringstream out;
  const std::string per_call =
      format_seconds(f.before_mean) + " -> " + format_seconds(f.after_mean) + " per call";
  switch (f.key.kind) {
    case FindingKind::kNewShape:
      out << "new, " << number(f.after_value * 100) << "% of database time, " << f.after_calls
          << " calls";
      break;
    case FindingKind::kVanished:
      out << "vanished: " << f.before_calls << " calls before, about " << number(f.before_value)
          << " expected since, none seen";
      break;
    case FindingKind::kLatency:
      out << per_call << " (x" << fixed(f.ratio, "%.2f") << ")";
      break;
    case FindingKind::kTrend:
      out << "trending slower: +" << fixed(f.daily_rise.value_or(0) * 100, "%.1f") << "%/day, "
          << per_call << " (x" << fixed(f.ratio, "%.2f") << ")";
      break;
    default:
      out << terminal_safe(f.measure, 60) << " " << number(f.before_value) << " -> "
          << number(f.after_value) << " (x" << fixed(f.ratio, "%.2f") << "), " << per_call;
  }
  if (f.before_p50 && f.after_p50 && f.before_p95 && f.after_p95) {
    out << "; p50 " << format_seconds(*f.before_p50) << " -> " << format_seconds(*f.after_p50)
        << ", p95 " << format_seconds(*f.before_p95) << " -> " << format_seconds(*f.after_p95);
  }
  return out.str();
}

}  // namespace

std::string finding_evidence_text(const Finding& f, std::optional<FindingKind> added_time_with) {
  std::string text = evidence(f);
  // A vanished shape adds no time: its cost is a feature that stopped, not a slower one.
  if (f.key.kind == FindingKind::kVanished) return text;
  if (added_time_with) {
    return text + ", added database time: see its " + std::string(to_string(*added_time_with)) +
           " finding";
  }
  return text + ", " + format_added_time(f.added_seconds_per_hour) + " of database time";
}

std::string AddedTimeOnce::evidence(const Finding& f) {
  if (f.key.kind == FindingKind::kVanished) return finding_evidence_text(f);
  const auto [it, first] = shown_.try_emplace({f.key.target, f.key.shape_hash}, f.key.kind);
  return finding_evidence_text(f, first ? std::nullopt : std::optional<FindingKind>(it->second));
}

void write_finding_text(std::ostream& out, const Finding& f, AddedTimeOnce* once) {
  out << "  " << to_string(f.severity) << "  " << to_string(f.key.kind) << "  "
      << terminal_safe(f.key.shape_hash, 40) << "  "
      << (once != nullptr ? once->evidence(f) : finding_evidence_text(f))
      << ", q=" << fixed(f.q_value, "%.2e") << "\n    " << terminal_safe(f.fingerprint, 1000)
      << "\n";
}

}  // namespace slowscope
