// Health alerts: a target's collector in trouble — the server unreachable, the login
// refused, pg_stat_statements missing or losing entries, the slow log gone or not growing
// while the server is up — as alert events (kind "health/<problem>", alertname
// SlowscopeHealth), so that a silent collector is noticed as surely as a slow query. A
// problem that a retry may cure (unreachable, failed, coverage lost) is raised after
// `cycles` cycles in a row with it; one a person must cure (login refused, misconfigured,
// extension missing, log missing, log not growing) at once, and so is a cycle that does not
// end (the watchdog's, cycle_watchdog.h). Each resolves at the first clean cycle.
//
// What was raised, and the problem under way with its count of cycles in a row, are kept as
// a checkpoint of the target, written with the events: a restart resolves what an earlier
// run raised, and `collect --once` runs from cron count as cycles in a row. One HealthAlerts
// per target and checkpoint, used by one thread at a time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/store/store.h"
#include "app/alert_routing.h"
#include "connectors/common/collector.h"

namespace slowscope {

inline constexpr std::string_view kHealthCheckpoint = "alerts/health";

// The event kind of a health problem: "health/unreachable", "health/login_refused", ...
std::string health_alert_kind(CollectorHealth health);

// The severity of a health problem's alert.
AlertSeverity health_severity(CollectorHealth health);

class HealthAlerts {
 public:
  // `routing` must outlive this. `cycles`: cycles in a row before a curable problem is
  // raised. `checkpoint`: the target's checkpoint that keeps the state.
  HealthAlerts(std::string target, const AlertRouting& routing, int cycles = 3,
               std::string_view checkpoint = kHealthCheckpoint);

  // After a cycle at `now`: its health (kOk for a clean one) and, for a problem, the
  // message that tells it (never a secret). Queues the triggers and resolves the change
  // causes. Returns true when it queued something. Throws StoreError.
  bool after_cycle(Store& store, CollectorHealth health, std::string_view message, StoreTime now);

  // Another process may have written the checkpoint (it collected the target meanwhile):
  // read it again before the next cycle's verdict.
  void reload() { loaded_ = false; }

 private:
  struct Raised {
    std::string kind;
    std::vector<std::string> sinks;
    std::string document;  // the trigger, for its resolve
  };
  void load(Store& store);
  std::string checkpoint_text() const;

  std::string target_;
  const AlertRouting& routing_;
  int cycles_;
  std::string checkpoint_;
  bool loaded_ = false;
  // The state the checkpoint holds: the problem under way ("" when well), its cycles in a
  // row and its first cycle, and what was raised and is open.
  std::string problem_;
  int in_a_row_ = 0;
  StoreTime since_;
  std::vector<Raised> raised_;
};

}  // namespace slowscope
