// Store health alerts: the history store failing — a full disk, a lock another process
// holds for good, a central PostgreSQL store that is down or refuses the login — is a
// health problem like a target's, but its alert cannot go through the outbox, which lives
// in that store. So the threads of a collect process that use the store (each target's,
// each sink sender's) tell one StoreHealth how their store work went; once a failure has
// lasted a while (at once when the store cannot be used at all), each sender delivers a
// "health/store_errors" trigger straight to its receiver from memory, and its resolve when
// every thread's store work succeeds again.
//
// What is raised this way is kept in memory only: if the process stops before the store
// recovers (collect stops when the store cannot be used), the trigger stays open at
// receivers that keep incidents until someone resolves them; Alertmanager's lapses.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "app/alert_routing.h"
#include "reports/alerts/alert_event.h"
#include "reports/alerts/delivery/alert_sink.h"

namespace slowscope {

inline constexpr std::string_view kStoreErrorsKind = "health/store_errors";

// How the store's users fare. Thread-safe.
class StoreHealth {
 public:
  // `store`: the store as events name it (its redacted location). `after`: how long a
  // failure lasts before it is raised.
  StoreHealth(std::string store, std::chrono::seconds after);

  // The store work of `user` ("orders", "sink oncall") failed at `now` with `message`
  // (never a password: store errors carry none); `for_good`: the store cannot be used at
  // all (a schema too new, a refused login), raised at once.
  void failed(const std::string& user, std::string_view message, StoreTime now,
              bool for_good = false);

  // The store work of `user` succeeded: its failure, if any, is over.
  void worked(const std::string& user);

  // At `now`: the trigger for the oldest failure under way that is due to be raised, or
  // nullopt when none is. The same dedup key for every failure of the store.
  std::optional<AlertEvent> trigger(StoreTime now) const;

 private:
  struct Failure {
    StoreTime since;
    std::string message;
    bool for_good = false;
  };

  std::string store_;
  std::chrono::seconds after_;
  mutable std::mutex mutex_;
  std::map<std::string, Failure, std::less<>> failing_;
};

// One sink's direct delivery of the store's trigger and resolve, kept by the sink's sender
// thread. Not thread-safe: one per sink thread.
class StoreAlertDelivery {
 public:
  // Tells `sink` what changed since the last step — the trigger once `health` raises one,
  // the resolve once it is over — if `routing` sends store errors there; a failed attempt
  // is retried at a later step after `policy`'s backoff, and triggers still open are
  // re-sent every `refresh` to receivers whose alerts lapse.
  void step(AlertSink& sink, const StoreHealth& health, const AlertRouting& routing,
            const RetryPolicy& policy, std::chrono::seconds refresh, StoreTime now);

 private:
  std::optional<AlertEvent> told_;  // the trigger the receiver holds
  int attempts_ = 0;                // failed attempts at the change under way
  StoreTime next_attempt_{};
  StoreTime last_refresh_{};
};

}  // namespace slowscope
