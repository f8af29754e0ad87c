// AlertEvent: what slowscope tells an on-call tool — a finding or a collector health
// problem starting (trigger) or ending (resolve) — in one form every sink translates from
// (PagerDuty, Opsgenie, Splunk On-Call, Alertmanager, Slack, webhooks, files). Its document
// form is "slowscope.alert/1" (reports/json/schemas/alert-1.schema.json), what webhooks
// and alert files receive.
//
// Only normalized text leaves the machine: an event carries a shape's fingerprint, never a
// statement with its literal values.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/regression/finding.h"

namespace slowscope {

inline constexpr const char* kAlertSchemaId = "slowscope.alert/1";

// The longest summary an event carries, in bytes (PagerDuty's payload.summary limit).
inline constexpr size_t kMaxAlertSummaryBytes = 1024;

enum class AlertAction { kTrigger, kResolve };

// Ordered: a higher value is more urgent.
enum class AlertSeverity { kInfo, kWarning, kError, kCritical };

// "trigger", "resolve".
std::string_view to_string(AlertAction action);
// "info", "warning", "error", "critical".
std::string_view to_string(AlertSeverity severity);
// The severity whose to_string() is `text`; nullopt for any other text.
std::optional<AlertSeverity> alert_severity_from_string(std::string_view text);

// What a finding must reach for a severity: both its added database time per hour and its
// ratio (after / before) — the ratio only for kinds that have one (not new or vanished
// shapes, judged by database time alone).
struct SeverityBar {
  double added_seconds_per_hour = 0;
  double ratio = 1;
};

// The bars of the severities above info; a finding takes the highest it reaches.
struct AlertThresholds {
  SeverityBar warning{60, 1.5};   // one more minute of database time an hour, 1.5x
  SeverityBar error{600, 2};      // ten more minutes an hour, 2x
  SeverityBar critical{1800, 4};  // half an hour more an hour, 4x
};

// The severity `finding` reaches under `thresholds`; info below warning.
AlertSeverity finding_severity(const Finding& finding, const AlertThresholds& thresholds);

struct AlertLink {
  std::string href;
  std::string text;
};

struct AlertEvent {
  std::string dedup_key;  // alert_dedup_key(): one on-call incident per key
  AlertAction action = AlertAction::kTrigger;
  AlertSeverity severity = AlertSeverity::kWarning;
  std::string summary;  // one line, at most kMaxAlertSummaryBytes
  std::string target;
  std::string kind;         // a FindingKind's text, or a health problem's
  std::string query_id;     // the shape's hash; empty for a target-wide event
  std::string fingerprint;  // the shape's normalized text; empty for a target-wide event
  std::string incident;     // the incident's key when the event is one incident's
  std::string release;      // the release it follows; empty for none
  nlohmann::ordered_json details = nlohmann::ordered_json::object();  // the evidence
  std::vector<AlertLink> links;
  int64_t at = 0;  // epoch seconds: when the change happened (detected)
};

// The dedup key of what (`kind`) happens to `scope` (a shape's hash, an incident's key, or
// empty for the target itself) on `target`: 40 hex digits of a SHA-256 over the three and
// the key version, so that it is short, stable across runs and hosts, and the same for the
// trigger and the resolve of one episode.
std::string alert_dedup_key(std::string_view target, std::string_view scope, std::string_view kind);

// One line saying what `finding` is and what it costs: "orders: `select … where
// customer_id = ?` 14.2x slower since v2.4.1, +38.0 min/h of database time". The
// fingerprint is cut to 120 characters, the whole to kMaxAlertSummaryBytes.
std::string finding_summary(const Finding& finding);

// The event of `finding` starting or ending at `at`, its severity from `thresholds`; links
// to `report_url` when not empty.
AlertEvent finding_event(const Finding& finding, AlertAction action, int64_t at,
                         const AlertThresholds& thresholds, std::string_view report_url);

// The "slowscope.alert/1" document of `event`.
nlohmann::ordered_json alert_document(const AlertEvent& event);

// The event whose alert_document() is `document` (as the outbox keeps it); nullopt for
// anything else: another schema, a missing or mistyped member, unreadable JSON.
std::optional<AlertEvent> alert_event_from_document(std::string_view document);

}  // namespace slowscope
