#include "app/store_alerts.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "analyzer/fingerprint/literal_free_text.h"
#include "analyzer/time/utc_time.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

constexpr size_t kMessageChars = 300;

double random_unit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 1)(engine);
}

}  // namespace

StoreHealth::StoreHealth(std::string store, std::chrono::seconds after)
    : store_(std::move(store)), after_(after) {}

void StoreHealth::failed(const std::string& user, std::string_view message, StoreTime now,
                         bool for_good) {
  std::lock_guard lock(mutex_);
  auto [it, added] = failing_.try_emplace(user, Failure{now, {}, false});
  it->second.message = std::string(message);
  it->second.for_good = it->second.for_good || for_good;
}

void StoreHealth::worked(const std::string& user) {
  std::lock_guard lock(mutex_);
  if (auto it = failing_.find(user); it != failing_.end()) failing_.erase(it);
}

std::optional<AlertEvent> StoreHealth::trigger(StoreTime now) const {
  std::lock_guard lock(mutex_);
  const std::pair<const std::string, Failure>* due = nullptr;
  for (const auto& entry : failing_) {
    const Failure& f = entry.second;
    if (!f.for_good && now - f.since < after_) continue;
    if (!due || f.since < due->second.since) due = &entry;
  }
  if (!due) return std::nullopt;
  const Failure& f = due->second;
  AlertEvent e;
  e.kind = std::string(kStoreErrorsKind);
  e.dedup_key = alert_dedup_key(store_, "", e.kind);
  e.severity = AlertSeverity::kCritical;  // nothing is collected, detected or queued
  e.target = store_;
  e.at = now.time_since_epoch().count();
  const std::string since = format_utc(f.since);
  const std::string said = cut_text(collapse_whitespace(f.message), kMessageChars);
  e.summary = cut_bytes("store " + store_ + ": " +
                            (f.for_good ? std::string("cannot be used, collect stopped")
                                        : "failing since " + since + " (" + due->first + ")") +
                            ": " + said,
                        kMaxAlertSummaryBytes);
  e.details = {{"health", "store errors"},
               {"since", since},
               {"user", due->first},
               {"message", said},
               {"stopped", f.for_good}};
  return e;
}

void StoreAlertDelivery::step(AlertSink& sink, const StoreHealth& health,
                              const AlertRouting& routing, const RetryPolicy& policy,
                              std::chrono::seconds refresh, StoreTime now) {
  const std::optional<AlertEvent> wanted = health.trigger(now);
  if (wanted && told_) {
    // Open, and told: keep it firing where alerts lapse.
    if (now - last_refresh_ >= refresh) {
      sink.refresh({*told_}, now.time_since_epoch().count());
      last_refresh_ = now;
    }
    return;
  }
  if (!wanted && !told_) return;
  if (wanted) {
    const std::vector<std::string> sinks = routing.sinks_for(wanted->severity);
    if (std::find(sinks.begin(), sinks.end(), sink.name()) == sinks.end()) return;
  }
  if (now < next_attempt_) return;
  AlertEvent event = wanted ? *wanted : *told_;
  if (!wanted) {
    event.action = AlertAction::kResolve;
    event.at = now.time_since_epoch().count();
  }
  const SinkResult result = sink.deliver(event, now.time_since_epoch().count());
  const std::string what =
      "store alert " + std::string(to_string(event.action)) + " to sink " + sink.name();
  if (result.verdict == DeliveryVerdict::kRetry) {
    ++attempts_;
    next_attempt_ = now + retry_delay(policy, attempts_, result.retry_after, random_unit());
    if (attempts_ == 1) spdlog::warn("{}: {}; retrying", what, result.message);
    return;
  }
  if (result.verdict == DeliveryVerdict::kPermanent) {
    spdlog::error("{}: refused for good, not retried: {}", what, result.message);
  } else {
    spdlog::info("{}: delivered", what);
  }
  attempts_ = 0;
  next_attempt_ = {};
  last_refresh_ = now;
  told_ = wanted;
}

}  // namespace slowscope
