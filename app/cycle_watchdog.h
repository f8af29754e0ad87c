// The collect loop's watchdog: notices a target whose cycle has not ended long after it
// began — a server that stopped answering in the middle of a query, a store lock held
// elsewhere, a bug — which no error would ever report, since nothing fails. It logs it and,
// when alerts are configured, raises it as the target's health alert
// "health/not_completing_cycles" (through the outbox; its state in the target's checkpoint
// kWatchdogCheckpoint), resolved once the cycle ends.
//
// CycleClock is shared by a target's thread and the watchdog (thread-safe); CycleWatchdog
// is used by the watchdog's thread alone.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/store/store.h"
#include "app/alert_routing.h"
#include "app/health_alerts.h"

namespace slowscope {

inline constexpr std::string_view kWatchdogCheckpoint = "alerts/watchdog";

// How long a cycle of an `interval` cadence may run before it counts as stalled: three
// intervals, and never less than two minutes (a slow detection pass is not a hang).
std::chrono::seconds stalled_after(std::chrono::seconds interval);

// When a target's cycle under way began. Written by the target's thread, read by the
// watchdog's.
class CycleClock {
 public:
  // A cycle begins at `now` (this process holds the target's lease).
  void began(StoreTime now);
  // The cycle ended, whether it succeeded or failed.
  void ended();
  // When the cycle under way began; nullopt between cycles.
  std::optional<StoreTime> in_cycle_since() const;
  // Cycles this process ended for the target.
  uint64_t cycles_ended() const { return ended_.load(); }

 private:
  static constexpr int64_t kNone = INT64_MIN;
  std::atomic<int64_t> began_{kNone};
  std::atomic<uint64_t> ended_{0};
};

struct WatchedTarget {
  std::string name;
  const CycleClock* clock = nullptr;  // outlives the watchdog
};

class CycleWatchdog {
 public:
  // Watches `targets`, a cycle stalled once it ran `limit`; `routing` (null: log only)
  // must outlive this.
  CycleWatchdog(std::vector<WatchedTarget> targets, std::chrono::seconds limit,
                const AlertRouting* routing);

  // Looks at each target at `now`: logs a cycle that ran past the limit, and its end; with
  // a routing, queues the health alert's trigger or resolve in `store` (and resolves what an
  // earlier run raised, once the target's first cycle here ended). True when it queued
  // something. Throws StoreError; what it could not queue is tried again at the next check.
  bool check(Store& store, StoreTime now);

  // check() without alerts: only the log.
  void check_log_only(StoreTime now);

 private:
  struct Watch {
    WatchedTarget target;
    std::optional<HealthAlerts> alerts;
    bool said_stalled = false;  // logged as stalled
    bool told_stalled = false;  // its alert state says stalled
    bool checked = false;       // its state was settled once (after a first cycle here)
  };
  // Whether `w`'s cycle has run past the limit at `now`, with the log line saying so.
  bool stalled(Watch& w, StoreTime now, std::string* message);

  std::chrono::seconds limit_;
  std::vector<Watch> watches_;
};

}  // namespace slowscope
