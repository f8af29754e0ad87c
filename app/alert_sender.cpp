#include "app/alert_sender.h"

#include <spdlog/spdlog.h>

#include <random>

#include "app/store_alerts.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

using Clock = std::chrono::system_clock;

StoreTime store_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(Clock::now());
}

int64_t epoch(StoreTime t) {
  return t.time_since_epoch().count();
}

double random_unit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 1)(engine);
}

// The record of one attempt at `d` that ended at `ended` with `result`.
DeliveryAttempt attempt_record(const AlertDelivery& d, const AlertSink& sink,
                               const SinkResult& result, StoreTime ended, const RetryPolicy& policy,
                               SendCounts& counts) {
  DeliveryAttempt a;
  a.at = ended;
  a.next_attempt_at = ended;
  const std::string what = "alert " + d.alert.action + " for " + d.alert.target + " (key " +
                           d.alert.dedup_key.substr(0, 12) + ") to sink " + sink.name();
  switch (result.verdict) {
    case DeliveryVerdict::kDelivered:
      a.state = DeliveryState::kDelivered;
      ++counts.delivered;
      if (d.attempts > 0) spdlog::info("{}: delivered after {} retries", what, d.attempts);
      return a;
    case DeliveryVerdict::kPermanent:
      a.state = DeliveryState::kFailed;
      a.error = result.message;
      ++counts.failed;
      spdlog::error("{}: refused for good, not retried: {}", what, result.message);
      return a;
    case DeliveryVerdict::kRetry:
      break;
  }
  const StoreTime first = d.first_attempt_at.value_or(ended);
  if (ended - first >= policy.give_up_after) {
    a.state = DeliveryState::kFailed;
    a.error = "gave up after " + std::to_string(d.attempts + 1) + " attempts: " + result.message;
    ++counts.failed;
    spdlog::error("{}: {}", what, a.error);
    return a;
  }
  a.state = DeliveryState::kPending;
  a.error = result.message;
  a.next_attempt_at =
      ended + retry_delay(policy, d.attempts + 1, result.retry_after, random_unit());
  ++counts.retrying;
  // The first failure is news; the retries after it are not, until they end.
  spdlog::log(d.attempts == 0 ? spdlog::level::warn : spdlog::level::debug,
              "{}: {}; retrying in {} s", what, result.message,
              (a.next_attempt_at - ended).count());
  return a;
}

// The checkpoint of a target that holds the health event raised for failed deliveries to
// `sink` ({"sinks", "document"}: who was told, and the trigger to resolve), or {} when
// none is open.
std::string delivery_checkpoint(std::string_view sink) {
  return "alerts/delivery/" + std::string(sink);
}

// Tells the other sinks that `sink` failed for good to deliver `d` (once, until it delivers
// again for the target).
void raise_delivery_failure(Store& store, const AlertDelivery& d, const AlertSink& sink,
                            const std::string& error, const AlertRouting& routing, StoreTime now) {
  const std::string checkpoint = delivery_checkpoint(sink.name());
  if (json_checkpoint(store, d.alert.target, checkpoint).contains("document")) return;  // raised
  AlertEvent e;
  e.kind = "health/alert_delivery";
  e.dedup_key = alert_dedup_key(d.alert.target, sink.name(), e.kind);
  e.severity = AlertSeverity::kError;
  e.target = d.alert.target;
  e.summary =
      cut_bytes(d.alert.target + ": alerts to sink " + sink.name() + " are not delivered: " + error,
                kMaxAlertSummaryBytes);
  e.details = {{"sink", sink.name()}, {"error", error}, {"undelivered", d.alert.dedup_key}};
  e.at = now.time_since_epoch().count();
  std::vector<std::string> others = routing.sinks_for(e.severity);
  std::erase(others, sink.name());
  if (others.empty()) return;
  const nlohmann::json raised = {{"sinks", others}, {"document", alert_document(e).dump()}};
  store.queue_alerts(d.alert.target, {outbox_alert(e, others)}, {{checkpoint, raised.dump()}}, now);
}

// After `sink` delivered `d`: resolves the failure raised for it on the target, if any.
void resolve_delivery_failure(Store& store, const AlertDelivery& d, const AlertSink& sink,
                              StoreTime now) {
  const std::string checkpoint = delivery_checkpoint(sink.name());
  const nlohmann::json raised = json_checkpoint(store, d.alert.target, checkpoint);
  if (!raised.contains("document")) return;
  std::vector<OutboxAlert> alerts;
  try {
    if (auto resolve = resolve_alert(raised.at("document").get<std::string>(),
                                     raised.at("sinks").get<std::vector<std::string>>(),
                                     now.time_since_epoch().count())) {
      alerts.push_back(std::move(*resolve));
    }
  } catch (const nlohmann::json::exception&) {
    // Unreadable: nothing to resolve; the record is cleared below.
  }
  store.queue_alerts(d.alert.target, alerts, {{checkpoint, "{}"}}, now);
}

}  // namespace

SendCounts send_due(Store& store, AlertSink& sink, const SenderOptions& options);

namespace {

// Rounds of send_due until nothing is due now: while a round was full, or settled an event
// that a later one of its dedup key was waiting for.
SendCounts drain_due(Store& store, AlertSink& sink, const SenderOptions& options) {
  SendCounts total;
  SendCounts round;
  do {
    round = send_due(store, sink, options);
    total += round;
  } while (round.delivered + round.retrying + round.failed == options.batch ||
           round.delivered + round.failed > 0);
  return total;
}

}  // namespace

SendCounts& SendCounts::operator+=(const SendCounts& other) {
  delivered += other.delivered;
  retrying += other.retrying;
  failed += other.failed;
  return *this;
}

const std::string& this_sender() {
  return LeaseHolder::this_process().owner;
}

SendCounts send_due(Store& store, AlertSink& sink, const SenderOptions& options) {
  SendCounts counts;
  const std::vector<AlertDelivery> due = store.claim_deliveries(
      sink.name(), this_sender(), store_now(), options.claim_hold, options.batch);
  for (const AlertDelivery& d : due) {
    const std::optional<AlertEvent> event = alert_event_from_document(d.alert.document);
    SinkResult result;
    if (event) {
      result = sink.deliver(*event, epoch(store_now()));
    } else {
      result = {DeliveryVerdict::kPermanent, std::nullopt,
                "the outbox holds no slowscope.alert/1 event for it"};
    }
    const DeliveryAttempt attempt =
        attempt_record(d, sink, result, store_now(), options.retry, counts);
    if (!store.record_attempt(d.alert.id, sink.name(), this_sender(), attempt)) {
      spdlog::warn("sink {}: event {} took longer than its claim; another sender took it over",
                   sink.name(), d.alert.id);
      continue;
    }
    // A failed delivery of a delivery-failure event is not raised again (no loop).
    if (!options.routing || d.alert.dedup_key == alert_dedup_key(d.alert.target, sink.name(),
                                                                 "health/alert_delivery")) {
      continue;
    }
    if (attempt.state == DeliveryState::kFailed) {
      raise_delivery_failure(store, d, sink, attempt.error, *options.routing, attempt.at);
    } else if (attempt.state == DeliveryState::kDelivered) {
      resolve_delivery_failure(store, d, sink, attempt.at);
    }
  }
  return counts;
}

void refresh_firing(Store& store, AlertSink& sink) {
  std::vector<AlertEvent> firing;
  for (const OutboxAlert& alert : store.firing_alerts(sink.name())) {
    if (std::optional<AlertEvent> event = alert_event_from_document(alert.document)) {
      firing.push_back(std::move(*event));
    }
  }
  if (firing.empty()) return;
  const SinkResult result = sink.refresh(firing, epoch(store_now()));
  if (result.verdict != DeliveryVerdict::kDelivered) {
    spdlog::warn("sink {}: re-sending {} open alerts failed: {}", sink.name(), firing.size(),
                 result.message);
  }
}

SendCounts send_all_due(Store& store, AlertSink& sink, const SenderOptions& options) {
  const SendCounts sent = drain_due(store, sink, options);
  refresh_firing(store, sink);
  return sent;
}

AlertSender::AlertSender(StoreLocation store, std::vector<std::unique_ptr<AlertSink>> sinks,
                         SenderOptions options)
    : store_(std::move(store)), sinks_(std::move(sinks)), options_(options) {
  for (auto& sink : sinks_) threads_.emplace_back([this, s = sink.get()] { run(*s); });
}

AlertSender::~AlertSender() {
  end_threads(stop_);
}

void AlertSender::finish() {
  end_threads(finishing_);
}

void AlertSender::end_threads(bool& flag) {
  {
    std::lock_guard lock(mutex_);
    flag = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void AlertSender::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wakes_;
  }
  wake_.notify_all();
}

void AlertSender::run(AlertSink& sink) {
  std::optional<Store> store;
  Clock::time_point last_refresh{};  // the epoch: the first round refreshes
  uint64_t seen_wakes = 0;
  int store_failures = 0;
  bool last_round = false;
  StoreAlertDelivery store_alert;
  const std::string user = "sink " + sink.name();
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stop_) return;
      seen_wakes = wakes_;
      last_round = finishing_;
    }
    try {
      if (!store) store.emplace(Store::open(store_, StoreOpen::kCreate));
      drain_due(*store, sink, options_);
      if (Clock::now() - last_refresh >= options_.refresh_every) {
        refresh_firing(*store, sink);
        last_refresh = Clock::now();
      }
      store_failures = 0;
      if (options_.store_health) options_.store_health->worked(user);
    } catch (const std::exception& e) {
      // The store is shared with collection, which reports its problems; say it once.
      if (store_failures++ == 0) spdlog::warn("sink {}: {}; retrying", sink.name(), e.what());
      if (options_.store_health) {
        options_.store_health->failed(user, e.what(), store_now(),
                                      dynamic_cast<const StoreUnusableError*>(&e) != nullptr);
      }
      store.reset();
    }
    // The store's own alert cannot wait in the store: it goes from memory.
    if (options_.store_health && options_.routing) {
      store_alert.step(sink, *options_.store_health, *options_.routing, options_.retry,
                       options_.refresh_every, store_now());
    }
    if (last_round) return;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll,
                   [&] { return stop_ || finishing_ || wakes_ != seen_wakes; });
  }
}

}  // namespace slowscope
