#include "app/cycle_watchdog.h"

#include <spdlog/spdlog.h>

#include "analyzer/time/utc_time.h"

namespace slowscope {

std::chrono::seconds stalled_after(std::chrono::seconds interval) {
  return std::max<std::chrono::seconds>(3 * interval, std::chrono::minutes(2));
}

void CycleClock::began(StoreTime now) {
  began_.store(now.time_since_epoch().count());
}

void CycleClock::ended() {
  began_.store(kNone);
  ++ended_;
}

std::optional<StoreTime> CycleClock::in_cycle_since() const {
  const int64_t began = began_.load();
  if (began == kNone) return std::nullopt;
  return StoreTime(std::chrono::seconds(began));
}

CycleWatchdog::CycleWatchdog(std::vector<WatchedTarget> targets, std::chrono::seconds limit,
                             const AlertRouting* routing)
    : limit_(limit) {
  for (WatchedTarget& t : targets) {
    Watch& w = watches_.emplace_back();
    w.target = std::move(t);
    // Raised at its first check past the limit: the limit is the patience.
    if (routing) w.alerts.emplace(w.target.name, *routing, 1, kWatchdogCheckpoint);
  }
}

bool CycleWatchdog::stalled(Watch& w, StoreTime now, std::string* message) {
  const std::optional<StoreTime> since = w.target.clock->in_cycle_since();
  const bool stalled = since && now - *since >= limit_;
  if (stalled) {
    *message = "its cycle that began at " + format_utc(*since) + " has not ended after " +
               std::to_string((now - *since).count()) + " s";
    if (!w.said_stalled) {
      spdlog::error("{}: {}; collection and detection of it wait for it", w.target.name, *message);
      w.said_stalled = true;
    }
  } else if (w.said_stalled) {
    spdlog::info("{}: its stalled cycle ended", w.target.name);
    w.said_stalled = false;
  }
  return stalled;
}

void CycleWatchdog::check_log_only(StoreTime now) {
  std::string message;
  for (Watch& w : watches_) stalled(w, now, &message);
}

bool CycleWatchdog::check(Store& store, StoreTime now) {
  bool queued = false;
  for (Watch& w : watches_) {
    std::string message;
    const bool is_stalled = stalled(w, now, &message);
    if (!w.alerts) continue;
    if (is_stalled) {
      if (w.told_stalled) continue;
      queued |= w.alerts->after_cycle(store, CollectorHealth::kStalled, message, now);
      w.told_stalled = true;
      w.checked = true;
    } else if (w.told_stalled || (!w.checked && w.target.clock->cycles_ended() > 0)) {
      // Only once a cycle here ended: until then another process may hold the target, and
      // what it raised is its own.
      queued |= w.alerts->after_cycle(store, CollectorHealth::kOk, "", now);
      w.told_stalled = false;
      w.checked = true;
    }
  }
  return queued;
}

}  // namespace slowscope
