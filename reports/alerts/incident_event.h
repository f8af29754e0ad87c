// The alert event of an incident (reports/alerts/incidents.h): the findings of one target
// that one cause explains — a release, a table — paged once, with every member listed in
// its details and the worst one in its headline.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/regression/finding.h"
#include "reports/alerts/alert_event.h"

namespace slowscope {

// What an incident event is made from.
struct IncidentSnapshot {
  std::string key;  // Incident::key: stable while members come and go
  std::string target;
  std::vector<Finding> members;  // at least one
  std::vector<std::string> shared_tables;
  std::string release;  // the release every member follows; empty when none or several
};

// The dedup key of incident `key` on `target`: one on-call incident per slowscope incident.
std::string incident_dedup_key(std::string_view target, std::string_view key);

// How urgent the incident is under `thresholds`: its most urgent member's severity, or more
// when the members' added time together reaches a higher bar (at the ratio of the member
// that adds most), since twelve shapes each a little slower can cost as much as one far
// slower. A query with several findings adds its time once.
AlertSeverity incident_severity(const IncidentSnapshot& incident,
                                const AlertThresholds& thresholds);

// One line: the worst member's finding_summary() when all are of one query; for several
// queries, "orders: 12 queries regressed
// since v2.4.1 (tables orders, order_items), +2.1 h/h of database time; worst: `select …`
// 14.2x slower". At most kMaxAlertSummaryBytes.
std::string incident_summary(const IncidentSnapshot& incident);

// The event of `incident` starting (or growing) or ending at `at`, with `severity`; its
// kind, query id and fingerprint are the worst member's (most added time), its details
// list every member's id, kind, severity and summary, the shared tables and the worst
// member's evidence. Links to `report_url` when not empty.
AlertEvent incident_event(const IncidentSnapshot& incident, AlertAction action,
                          AlertSeverity severity, int64_t at, const AlertThresholds& thresholds,
                          std::string_view report_url);

}  // namespace slowscope
