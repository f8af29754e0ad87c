#include "app/health_alerts.h"

#include <nlohmann/json.hpp>

#include "analyzer/fingerprint/literal_free_text.h"
#include "analyzer/time/utc_time.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

constexpr size_t kMessageChars = 300;

// Problems no retry cures: raised at their first cycle. A slow log not growing is found
// only on evidence that waited an interval already (slow_log_growth_check.h).
bool raised_at_once(CollectorHealth health) {
  return needs_a_person(health) || health == CollectorHealth::kExtensionMissing ||
         health == CollectorHealth::kLogMissing || health == CollectorHealth::kLogNotGrowing;
}

struct RaisedProblem {
  std::string kind;
  std::vector<std::string> sinks;
  std::string document;  // the trigger, for its resolve
};

std::vector<RaisedProblem> read_raised(Store& store, const std::string& target) {
  std::vector<RaisedProblem> out;
  const nlohmann::json j = json_checkpoint(store, target, kHealthCheckpoint);
  if (!j.contains("raised")) return out;
  try {
    for (const auto& p : j.at("raised")) {
      out.push_back({p.at("kind").get<std::string>(), p.at("sinks").get<std::vector<std::string>>(),
                     p.at("document").get<std::string>()});
    }
  } catch (const nlohmann::json::exception&) {
    out.clear();  // unreadable: what it raised stays open at the receiver until it lapses
  }
  return out;
}

std::string write_raised(const std::vector<RaisedProblem>& raised) {
  nlohmann::json list = nlohmann::json::array();
  for (const RaisedProblem& p : raised) {
    list.push_back({{"kind", p.kind}, {"sinks", p.sinks}, {"document", p.document}});
  }
  return nlohmann::json{{"raised", std::move(list)}}.dump();
}

}  // namespace

std::string health_alert_kind(CollectorHealth health) {
  std::string kind = "health/" + std::string(to_string(health));
  for (char& c : kind) {
    if (c == ' ') c = '_';
  }
  return kind;
}

AlertSeverity health_severity(CollectorHealth health) {
  switch (health) {
    case CollectorHealth::kCoverageLost:
      return AlertSeverity::kWarning;
    case CollectorHealth::kUnreachable:
      return AlertSeverity::kCritical;
    default:
      return AlertSeverity::kError;
  }
}

HealthAlerts::HealthAlerts(std::string target, const AlertRouting& routing, int cycles)
    : target_(std::move(target)), routing_(routing), cycles_(std::max(1, cycles)) {}

bool HealthAlerts::after_cycle(Store& store, CollectorHealth health, std::string_view message,
                               StoreTime now) {
  if (health != last_ || in_a_row_ == 0) {
    last_ = health;
    in_a_row_ = 0;
    since_ = now;
  }
  ++in_a_row_;
  const bool raise =
      health != CollectorHealth::kOk && (raised_at_once(health) || in_a_row_ >= cycles_);
  if (!raise && health != CollectorHealth::kOk) return false;  // not yet: keep what is open
  if (!raise && nothing_raised_) return false;  // well, and known to have nothing open

  std::vector<RaisedProblem> raised = read_raised(store, target_);
  const std::string kind = raise ? health_alert_kind(health) : "";
  std::vector<OutboxAlert> alerts;
  std::vector<RaisedProblem> still;
  const int64_t at = now.time_since_epoch().count();
  // What was raised ends when the target is well, or has another problem now.
  for (RaisedProblem& p : raised) {
    if (p.kind == kind) {
      still.push_back(std::move(p));
      continue;
    }
    if (auto resolve = resolve_alert(p.document, p.sinks, at))
      alerts.push_back(std::move(*resolve));
  }
  if (raise && still.empty()) {
    AlertEvent e;
    e.kind = kind;
    e.dedup_key = alert_dedup_key(target_, "", kind);
    e.severity = health_severity(health);
    e.target = target_;
    e.at = at;
    const std::string since = format_utc(since_);
    const std::string what = std::string(to_string(health));
    std::string summary = target_ + ": collector " + what;
    if (!raised_at_once(health)) {
      summary += " for " + std::to_string(in_a_row_) + " cycles in a row since " + since;
    }
    const std::string said = cut_text(collapse_whitespace(message), kMessageChars);
    if (!said.empty()) summary += ": " + said;
    e.summary = cut_bytes(std::move(summary), kMaxAlertSummaryBytes);
    e.details = {{"health", what}, {"cycles", in_a_row_}, {"since", since}, {"message", said}};
    if (!routing_.report_url.empty()) e.links.push_back({routing_.report_url, "slowscope report"});
    const std::vector<std::string> sinks = routing_.sinks_for(e.severity);
    if (!sinks.empty()) {
      still.push_back({kind, sinks, alert_document(e).dump()});
      alerts.push_back(outbox_alert(e, sinks));
    }
  }
  nothing_raised_ = still.empty();
  if (alerts.empty()) return false;
  store.queue_alerts(target_, alerts, {{std::string(kHealthCheckpoint), write_raised(still)}}, now);
  return true;
}

}  // namespace slowscope
