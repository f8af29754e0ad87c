#include "reports/alerts/alert_event.h"

#include <cmath>
#include <cstdio>

#include "analyzer/fingerprint/literal_free_text.h"
#include "analyzer/time/utc_time.h"
#include "reports/alerts/digests.h"
#include "reports/text/units.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

// Part of every dedup key: a change of what keys are made from changes them all at once,
// on purpose, rather than some of them by accident.
constexpr std::string_view kKeyVersion = "slowscope-alert-key/1";
constexpr size_t kKeyHexDigits = 40;
constexpr size_t kSummaryFingerprintChars = 120;

bool reaches(const Finding& f, const SeverityBar& bar) {
  const bool by_time_alone = f.key.kind == FindingKind::kNewShape;
  return f.added_seconds_per_hour >= bar.added_seconds_per_hour &&
         (by_time_alone || f.ratio >= bar.ratio);
}

std::string ratio_text(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ratio >= 100 ? "%.0fx" : "%.1fx", ratio);
  return buf;
}

// What happened, in a few words: "14.2x slower", "a new shape", ...
std::string what_changed(const Finding& f) {
  switch (f.key.kind) {
    case FindingKind::kLatency:
      return ratio_text(f.ratio) + " slower";
    case FindingKind::kCallSurge:
      return ratio_text(f.ratio) + " more calls";
    case FindingKind::kRowsPerCall:
      return ratio_text(f.ratio) + " more " + (f.measure.empty() ? "rows per call" : f.measure);
    case FindingKind::kNewShape:
      return "new shape";
    case FindingKind::kVanished:
      return "stopped running";
    case FindingKind::kTrend: {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.1f%% slower each day", 100 * f.daily_rise.value_or(0));
      return buf;
    }
  }
  return std::string(to_string(f.key.kind));
}


}  // namespace

std::string_view to_string(AlertAction action) {
  return action == AlertAction::kTrigger ? "trigger" : "resolve";
}

std::string_view to_string(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::kInfo:
      return "info";
    case AlertSeverity::kWarning:
      return "warning";
    case AlertSeverity::kError:
      return "error";
    case AlertSeverity::kCritical:
      return "critical";
  }
  return "";
}

std::optional<AlertSeverity> alert_severity_from_string(std::string_view text) {
  for (const AlertSeverity s : {AlertSeverity::kInfo, AlertSeverity::kWarning,
                                AlertSeverity::kError, AlertSeverity::kCritical}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

AlertSeverity finding_severity(const Finding& finding, const AlertThresholds& thresholds) {
  // A shape that stopped costs no time: how urgent it is, the detector said.
  if (finding.key.kind == FindingKind::kVanished) {
    return finding.severity == Severity::kCritical ? AlertSeverity::kError
                                                   : AlertSeverity::kWarning;
  }
  if (reaches(finding, thresholds.critical)) return AlertSeverity::kCritical;
  if (reaches(finding, thresholds.error)) return AlertSeverity::kError;
  if (reaches(finding, thresholds.warning)) return AlertSeverity::kWarning;
  return AlertSeverity::kInfo;
}

std::string alert_dedup_key(std::string_view target, std::string_view scope,
                            std::string_view kind) {
  // Lengths first, so that no two triples give the same text.
  std::string text(kKeyVersion);
  for (const std::string_view part : {target, scope, kind}) {
    text += '\n';
    text += std::to_string(part.size());
    text += ':';
    text += part;
  }
  return sha256_hex(text).substr(0, kKeyHexDigits);
}

std::string finding_summary(const Finding& finding) {
  std::string summary =
      finding.key.target + ": `" +
      cut_text(collapse_whitespace(finding.fingerprint), kSummaryFingerprintChars) + "` " +
      what_changed(finding);
  if (!finding.release.empty()) summary += " since " + finding.release;
  if (finding.key.kind != FindingKind::kVanished) {
    summary += ", " + format_added_time(finding.added_seconds_per_hour) + " of database time";
  }
  return cut_bytes(std::move(summary), kMaxAlertSummaryBytes);
}

AlertEvent finding_event(const Finding& finding, AlertAction action, int64_t at,
                         const AlertThresholds& thresholds, std::string_view report_url) {
  AlertEvent e;
  const std::string kind(to_string(finding.key.kind));
  e.dedup_key = alert_dedup_key(finding.key.target, finding.key.shape_hash, kind);
  e.action = action;
  e.severity = finding_severity(finding, thresholds);
  e.summary = finding_summary(finding);
  e.target = finding.key.target;
  e.kind = kind;
  e.query_id = finding.key.shape_hash;
  e.fingerprint = finding.fingerprint;
  e.release = finding.release;
  e.details = evidence_json(finding);
  if (!report_url.empty()) e.links.push_back({std::string(report_url), "slowscope report"});
  e.at = at;
  return e;
}

nlohmann::ordered_json alert_document(const AlertEvent& e) {
  nlohmann::ordered_json links = nlohmann::ordered_json::array();
  for (const AlertLink& l : e.links) links.push_back({{"href", l.href}, {"text", l.text}});
  const auto or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s);
  };
  return {{"schema", kAlertSchemaId},
          {"dedup_key", e.dedup_key},
          {"action", to_string(e.action)},
          {"severity", to_string(e.severity)},
          {"summary", e.summary},
          {"target", e.target},
          {"kind", e.kind},
          {"query_id", or_null(e.query_id)},
          {"fingerprint", or_null(e.fingerprint)},
          {"incident", or_null(e.incident)},
          {"release", or_null(e.release)},
          {"details", e.details},
          {"links", links},
          {"at", format_utc(e.at * 1'000'000)}};
}

std::optional<AlertEvent> alert_event_from_document(std::string_view document) {
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(document, nullptr, false);
  if (!j.is_object() || j.value("schema", "") != kAlertSchemaId) return std::nullopt;
  try {
    const auto text_or_empty = [&](const char* name) {
      const auto& v = j.at(name);
      return v.is_null() ? std::string() : v.get<std::string>();
    };
    AlertEvent e;
    e.dedup_key = j.at("dedup_key").get<std::string>();
    e.action = j.at("action").get<std::string>() == "resolve" ? AlertAction::kResolve
                                                              : AlertAction::kTrigger;
    const std::optional<AlertSeverity> severity =
        alert_severity_from_string(j.at("severity").get<std::string>());
    if (!severity) return std::nullopt;
    e.severity = *severity;
    e.summary = j.at("summary").get<std::string>();
    e.target = j.at("target").get<std::string>();
    e.kind = j.at("kind").get<std::string>();
    e.query_id = text_or_empty("query_id");
    e.fingerprint = text_or_empty("fingerprint");
    e.incident = text_or_empty("incident");
    e.release = text_or_empty("release");
    e.details = j.at("details");
    for (const auto& link : j.at("links")) {
      e.links.push_back({link.at("href").get<std::string>(), link.at("text").get<std::string>()});
    }
    const std::optional<int64_t> at = parse_utc(j.at("at").get<std::string>());
    if (!at) return std::nullopt;
    e.at = *at / 1'000'000;
    return e;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace slowscope
