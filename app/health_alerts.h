// Health alerts: a target's collector in trouble — the server unreachable, the login
// refused, pg_stat_statements missing or losing entries, the slow log gone or not growing
// while the server is up — as alert events (kind "health/<problem>", alertname
// SlowscopeHealth), so that a silent collector is noticed as surely as a slow query. A
// problem that a retry may cure (unreachable, failed, coverage lost) is raised after
// `cycles` cycles in a row with it; one a person must cure (login refused, misconfigured,
// extension missing, log missing, log not growing) at once. Each resolves at the first
// clean cycle.
//
// What was raised is kept as the target's checkpoint kHealthCheckpoint, written with the
// events, so that a restart resolves what an earlier run raised. One HealthAlerts per
// target thread.
#pragma once

#include <string>
#include <string_view>

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
  // `routing` must outlive this. `cycles`: cycles in a row before a curable problem is raised.
  HealthAlerts(std::string target, const AlertRouting& routing, int cycles = 3);

  // After a cycle at `now`: its health (kOk for a clean one) and, for a problem, the
  // message that tells it (never a secret). Queues the triggers and resolves the change
  // causes. Returns true when it queued something. Throws StoreError.
  bool after_cycle(Store& store, CollectorHealth health, std::string_view message, StoreTime now);

 private:
  std::string target_;
  const AlertRouting& routing_;
  int cycles_;
  CollectorHealth last_ = CollectorHealth::kOk;
  int in_a_row_ = 0;
  StoreTime since_;
  bool nothing_raised_ = false;  // the checkpoint holds no open problem (read since)
};

}  // namespace slowscope
