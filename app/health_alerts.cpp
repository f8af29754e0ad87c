#include "app/health_alerts.h"

#include <nlohmann/json.hpp>

#include "analyzer/fingerprint/literal_free_text.h"
#include "analyzer/time/utc_time.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

constexpr size_t kMessageChars = 300;

// Problems no retry cures, a stalled cycle (the watchdog waited already) and a slow log not
// growing (found only on evidence that waited an interval already, slow_log_growth_check.h):
// raised at their first cycle.
bool raised_at_once(CollectorHealth health) {
  return needs_a_person(health) || health == CollectorHealth::kExtensionMissing ||
         health == CollectorHealth::kLogMissing || health == CollectorHealth::kLogNotGrowing ||
         health == CollectorHealth::kStalled;
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

HealthAlerts::HealthAlerts(std::string target, const AlertRouting& routing, int cycles,
                           std::string_view checkpoint)
    : target_(std::move(target)),
      routing_(routing),
      cycles_(std::max(1, cycles)),
      checkpoint_(checkpoint) {}

void HealthAlerts::load(Store& store) {
  problem_.clear();
  in_a_row_ = 0;
  raised_.clear();
  const nlohmann::json j = json_checkpoint(store, target_, checkpoint_);
  try {
    if (j.contains("raised")) {
      for (const auto& p : j.at("raised")) {
        raised_.push_back({p.at("kind").get<std::string>(),
                           p.at("sinks").get<std::vector<std::string>>(),
                           p.at("document").get<std::string>()});
      }
    }
    if (j.contains("problem")) {
      const nlohmann::json& p = j.at("problem");
      problem_ = p.at("kind").get<std::string>();
      in_a_row_ = p.at("cycles").get<int>();
      since_ = StoreTime(std::chrono::seconds(p.at("since").get<int64_t>()));
    }
  } catch (const nlohmann::json::exception&) {
    // Unreadable: start afresh; what it raised stays open at the receiver until it lapses.
    problem_.clear();
    in_a_row_ = 0;
    raised_.clear();
  }
  loaded_ = true;
}

std::string HealthAlerts::checkpoint_text() const {
  nlohmann::json list = nlohmann::json::array();
  for (const Raised& p : raised_) {
    list.push_back({{"kind", p.kind}, {"sinks", p.sinks}, {"document", p.document}});
  }
  nlohmann::json j = {{"raised", std::move(list)}};
  if (!problem_.empty()) {
    j["problem"] = {
        {"kind", problem_}, {"cycles", in_a_row_}, {"since", since_.time_since_epoch().count()}};
  }
  return j.dump();
}

bool HealthAlerts::after_cycle(Store& store, CollectorHealth health, std::string_view message,
                               StoreTime now) {
  if (!loaded_) load(store);
  const std::string kind = health == CollectorHealth::kOk ? "" : health_alert_kind(health);
  const bool changed = kind != problem_;
  if (changed) {
    problem_ = kind;
    in_a_row_ = 0;
    since_ = now;
  }
  if (!kind.empty()) ++in_a_row_;
  const bool raise = !kind.empty() && (raised_at_once(health) || in_a_row_ >= cycles_);

  std::vector<OutboxAlert> alerts;
  const int64_t at = now.time_since_epoch().count();
  // What was raised ends when the target is well, or has another problem now.
  bool open = false;
  bool ended = false;
  for (auto p = raised_.begin(); p != raised_.end();) {
    if (p->kind == kind) {
      open = true;
      ++p;
      continue;
    }
    if (auto resolve = resolve_alert(p->document, p->sinks, at)) alerts.push_back(std::move(*resolve));
    p = raised_.erase(p);
    ended = true;
  }
  if (raise && !open) {
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
      raised_.push_back({kind, sinks, alert_document(e).dump()});
      alerts.push_back(outbox_alert(e, sinks));
    }
  }
  // The checkpoint changes with each cycle of a problem (its count), and when one ends.
  if (alerts.empty() && kind.empty() && !changed && !ended) return false;
  loaded_ = false;  // until written: should the write fail, the next cycle reads it again
  store.queue_alerts(target_, alerts, {{checkpoint_, checkpoint_text()}}, now);
  loaded_ = true;
  return !alerts.empty();
}

}  // namespace slowscope
