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

std::optional<FindingKind> finding_kind_from_string(std::string_view text) {
  for (const FindingKind kind :
       {FindingKind::kLatency, FindingKind::kCallSurge, FindingKind::kRowsPerCall,
        FindingKind::kNewShape, FindingKind::kVanished, FindingKind::kTrend}) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

std::string_view to_string(Severity severity) {
  return severity == Severity::kCritical ? "critical" : "warning";
}

std::optional<Severity> severity_from_string(std::string_view text) {
  if (text == to_string(Severity::kWarning)) return Severity::kWarning;
  if (text == to_string(Severity::kCritical)) return Severity::kCritical;
  return std::nullopt;
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

nlohmann::ordered_json evidence_json(const Finding& f) {
  nlohmann::ordered_json evidence{
      {"before_mean", f.before_mean},
      {"after_mean", f.after_mean},
      {"ratio", f.ratio},
      {"before_calls", f.before_calls},
      {"after_calls", f.after_calls},
      {"p_value", f.p_value},
      {"q_value", f.q_value},
      {"added_seconds_per_hour", f.added_seconds_per_hour},
      {"release",
       f.release.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.release)}};
  if (!f.measure.empty()) {
    evidence["measure"] = f.measure;
    evidence["before_value"] = f.before_value;
    evidence["after_value"] = f.after_value;
  }
  const auto optional = [&](const char* name, const std::optional<double>& v) {
    if (v) evidence[name] = *v;
  };
  optional("before_p50", f.before_p50);
  optional("after_p50", f.after_p50);
  optional("before_p95", f.before_p95);
  optional("after_p95", f.after_p95);
  optional("daily_rise", f.daily_rise);
  return evidence;
}

void read_evidence_json(const nlohmann::ordered_json& evidence, Finding& f) {
  if (!evidence.is_object()) return;
  const auto number = [&](const char* name, double& field) {
    if (const auto it = evidence.find(name); it != evidence.end() && it->is_number()) {
      field = it->get<double>();
    }
  };
  const auto count = [&](const char* name, int64_t& field) {
    if (const auto it = evidence.find(name); it != evidence.end() && it->is_number()) {
      field = it->get<int64_t>();
    }
  };
  const auto optional = [&](const char* name, std::optional<double>& field) {
    if (const auto it = evidence.find(name); it != evidence.end() && it->is_number()) {
      field = it->get<double>();
    }
  };
  const auto text = [&](const char* name, std::string& field) {
    if (const auto it = evidence.find(name); it != evidence.end() && it->is_string()) {
      field = it->get<std::string>();
    }
  };
  number("before_mean", f.before_mean);
  number("after_mean", f.after_mean);
  number("ratio", f.ratio);
  count("before_calls", f.before_calls);
  count("after_calls", f.after_calls);
  number("p_value", f.p_value);
  number("q_value", f.q_value);
  number("added_seconds_per_hour", f.added_seconds_per_hour);
  text("release", f.release);
  text("measure", f.measure);
  number("before_value", f.before_value);
  number("after_value", f.after_value);
  optional("before_p50", f.before_p50);
  optional("after_p50", f.after_p50);
  optional("before_p95", f.before_p95);
  optional("after_p95", f.after_p95);
  optional("daily_rise", f.daily_rise);
}

}  // namespace slowscope
