#include "analyzer/regression/finding.h"

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

nlohmann::ordered_json evidence_json(const Finding& f) {
  return {{"before_mean", f.before_mean},
          {"after_mean", f.after_mean},
          {"ratio", f.ratio},
          {"before_calls", f.before_calls},
          {"after_calls", f.after_calls},
          {"p_value", f.p_value},
          {"q_value", f.q_value},
          {"added_seconds_per_hour", f.added_seconds_per_hour},
          {"release",
           f.release.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.release)}};
}

}  // namespace slowscope
