#include "reports/alerts/incident_event.h"

#include <algorithm>
#include <map>

#include "reports/text/units.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

constexpr size_t kSummaryTables = 3;  // tables named in a summary; the rest are counted

// The member that costs most added time (the first of equals).
const Finding& worst_member(const IncidentSnapshot& incident) {
  return *std::max_element(incident.members.begin(), incident.members.end(),
                           [](const Finding& a, const Finding& b) {
                             return a.added_seconds_per_hour < b.added_seconds_per_hour;
                           });
}

// The database time each query of `incident` adds, per hour: a query with several findings
// (slower, and more rows per call) adds its time once, the most any of them says.
std::map<std::string, double> added_by_query(const IncidentSnapshot& incident) {
  std::map<std::string, double> added;
  for (const Finding& f : incident.members) {
    double& query = added[f.key.shape_hash];
    query = std::max(query, std::max(0.0, f.added_seconds_per_hour));
  }
  return added;
}

double added_together(const std::map<std::string, double>& by_query) {
  double total = 0;
  for (const auto& [query, added] : by_query) total += added;
  return total;
}

}  // namespace

std::string incident_dedup_key(std::string_view target, std::string_view key) {
  return alert_dedup_key(target, key, "incident");
}

AlertSeverity incident_severity(const IncidentSnapshot& incident,
                                const AlertThresholds& thresholds) {
  AlertSeverity worst = AlertSeverity::kInfo;
  for (const Finding& f : incident.members) worst = std::max(worst, finding_severity(f, thresholds));
  Finding together = worst_member(incident);
  together.added_seconds_per_hour = added_together(added_by_query(incident));
  return std::max(worst, finding_severity(together, thresholds));
}

std::string incident_summary(const IncidentSnapshot& incident) {
  const Finding& worst = worst_member(incident);
  const std::map<std::string, double> by_query = added_by_query(incident);
  if (by_query.size() == 1) return finding_summary(worst);
  std::string summary =
      incident.target + ": " + std::to_string(by_query.size()) + " queries regressed";
  if (!incident.release.empty()) summary += " since " + incident.release;
  if (!incident.shared_tables.empty()) {
    summary += incident.shared_tables.size() == 1 ? " (table " : " (tables ";
    const size_t named = std::min(kSummaryTables, incident.shared_tables.size());
    for (size_t i = 0; i < named; ++i) {
      if (i > 0) summary += ", ";
      summary += incident.shared_tables[i];
    }
    if (named < incident.shared_tables.size()) {
      summary += " and " + std::to_string(incident.shared_tables.size() - named) + " more";
    }
    summary += ")";
  }
  summary += ", " + format_added_time(added_together(by_query)) + " of database time; worst: ";
  // The worst member's own summary, without the target it repeats.
  std::string headline = finding_summary(worst);
  const std::string prefix = incident.target + ": ";
  if (headline.compare(0, prefix.size(), prefix) == 0) headline.erase(0, prefix.size());
  return cut_bytes(summary + headline, kMaxAlertSummaryBytes);
}

AlertEvent incident_event(const IncidentSnapshot& incident, AlertAction action,
                          AlertSeverity severity, int64_t at, const AlertThresholds& thresholds,
                          std::string_view report_url) {
  const Finding& worst = worst_member(incident);
  AlertEvent e = finding_event(worst, action, at, thresholds, report_url);
  e.dedup_key = incident_dedup_key(incident.target, incident.key);
  e.severity = severity;
  e.summary = incident_summary(incident);
  e.incident = incident.key;
  e.release = incident.release;
  nlohmann::ordered_json members = nlohmann::ordered_json::array();
  for (const Finding& f : incident.members) {
    members.push_back({{"id", f.key.id()},
                       {"kind", to_string(f.key.kind)},
                       {"query_id", f.key.shape_hash},
                       {"severity", to_string(finding_severity(f, thresholds))},
                       {"summary", finding_summary(f)}});
  }
  e.details = {{"incident", incident.key},
               {"members", std::move(members)},
               {"shared_tables", incident.shared_tables},
               {"worst", evidence_json(worst)}};
  return e;
}

}  // namespace slowscope
