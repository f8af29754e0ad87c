// The alert sender: delivers the outbox (Store::claim_deliveries) to each configured sink
// — claims what is due, sends it, records the receiver's verdict — with exponential backoff
// and jitter for retries, the receiver's Retry-After honoured, permanent refusals logged
// once with the receiver's message, and deliveries that stay unacknowledged past the
// policy's limit marked failed — and raised on the other sinks, so that a dead receiver is
// noticed. What was acknowledged is never sent again; what was not is sent again after a
// crash (at least once, in order per dedup key).
//
// send_due is one round for one sink (`slowscope alerts send`, tests); AlertSender runs
// rounds in the background, one thread and one store connection per sink, so that a hung
// receiver delays only its own deliveries and never collection or detection.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/store/store.h"
#include "app/alert_routing.h"
#include "reports/alerts/delivery/alert_sink.h"

namespace slowscope {

class StoreHealth;

struct SenderOptions {
  RetryPolicy retry;
  std::chrono::seconds claim_hold{120};  // how long a claim lasts: longer than an attempt
  int batch = 50;                        // deliveries claimed at once per sink
  std::chrono::milliseconds poll{2000};  // how often a sink's thread looks for due work
  // How often triggers still open are re-sent to receivers whose alerts lapse otherwise.
  std::chrono::seconds refresh_every{60};
  // The sinks to tell when a delivery fails for good (a health event of kind
  // health/alert_delivery on every other sink that takes errors, resolved by the sink's
  // next delivery of the target); null: nobody is told.
  const AlertRouting* routing = nullptr;
  // The store's health, which each sink's thread reports its store work to and delivers
  // the store's own alert from (store_alerts.h; needs `routing`); null: neither.
  StoreHealth* store_health = nullptr;
};

// What one round did.
struct SendCounts {
  int delivered = 0;
  int retrying = 0;  // failed this time, to be tried again
  int failed = 0;    // refused for good, or given up on

  SendCounts& operator+=(const SendCounts& other);
};

// This process's name as a sender, in claims: unique per process run.
const std::string& this_sender();

// Delivers to `sink` what it may attempt at the current time, once: the oldest due
// deliveries, at most options.batch. Throws StoreError.
SendCounts send_due(Store& store, AlertSink& sink, const SenderOptions& options);

// Re-sends to `sink` the triggers still open there (Store::firing_alerts), for receivers
// that let alerts lapse; does nothing for others. Throws StoreError.
void refresh_firing(Store& store, AlertSink& sink);

// Rounds of send_due until `sink` has nothing due now, then refresh_firing: what a one-shot
// job (`alerts send`, `check --alert`, `report --alert`) does for each sink. Throws
// StoreError.
SendCounts send_all_due(Store& store, AlertSink& sink, const SenderOptions& options = {});

class AlertSender {
 public:
  // Starts one thread per sink, each with its own connection to the store at `store`.
  AlertSender(StoreLocation store, std::vector<std::unique_ptr<AlertSink>> sinks,
              SenderOptions options = {});
  // Stops the threads: an attempt under way ends first (at most its timeout).
  ~AlertSender();
  AlertSender(const AlertSender&) = delete;
  AlertSender& operator=(const AlertSender&) = delete;

  // Something was queued: look now rather than at the next poll.
  void wake();

  // Has each thread send what is due once more, then stops them (an attempt's timeout at
  // most); retries scheduled later stay queued for the next run.
  void finish();

 private:
  void run(AlertSink& sink);
  // Sets `flag` (stop_ or finishing_) under the lock, wakes the threads and joins them.
  void end_threads(bool& flag);

  StoreLocation store_;
  std::vector<std::unique_ptr<AlertSink>> sinks_;
  SenderOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool finishing_ = false;  // one last round, then stop
  uint64_t wakes_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace slowscope
