#include "analyzer/regression/finding.h"

#include <algorithm>

namespace slowscope {

std::string_view to_string(FindingKind kind) {
  switch (kind) {
    case FindingKind::kLatency:
      return "latency";
    case FindingKind::kCallSurge:
      return "call_surge";
    case FindingKind::kRowsPerCall:
      return "rows_per_call";
    case FindingKind::kNewShape:
      return "new_shape";
    case FindingKind::kVanished:
      return "vanished";
    case FindingKind::kTrend:
      return "trend";
  }
  return "unknown";
}

std::string_view to_string(Severity severity) {
  return severity == Severity::kCritical ? "critical" : "warning";
}

std::string FindingKey::id() const {
  return target + "/" + shape_hash + "/" + std::string(to_string(kind));
}

void rank_findings(std::vector<Finding>& findings) {
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.added_seconds_per_hour != b.added_seconds_per_hour) {
      return a.added_seconds_per_hour > b.added_seconds_per_hour;
    }
    return a.key < b.key;
  });
}

}  // namespace slowscope
