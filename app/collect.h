// The collect use case behind `slowscope collect`: every target of the configuration —
// PostgreSQL (pg_stat_statements), and MySQL/MariaDB from a slow-log file, the
// mysql.slow_log table or performance_schema digests — is collected by its own thread, each
// interval, into the history store. Each thread has its own source connection and store
// connection, so a target that is down or slow never delays another. A thread collects only
// while this process holds the target's lease in the store, retries failures with backoff,
// and runs regression detection after its cycles (trends once a UTC day).
//
// run_collect is the whole command without its command line; run_targets is the loop alone,
// stopped through a StopSignal, so that it can be driven without signals or a binary.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/regression/continuous_detection.h"
#include "analyzer/store/store.h"
#include "app/alert_routing.h"
#include "connectors/common/collector.h"

namespace slowscope {

class AlertSender;
class RunMetrics;
class StoreHealth;

// Overrides of a target's `detection:` settings; empty/0/false: as configured. The spans
// are read by the rules of the keys they override (setting_rules.h).
struct DetectionOverrides {
  bool detect = false;     // turn detection on, whatever the configuration says
  bool no_detect = false;  // turn it off
  int every = 0;
  std::string window;
  std::string baseline;
  std::string baseline_mode;
  int resolve_after = 0;
};

// What a collect run is asked to do.
struct CollectSettings {
  std::string config;     // the configuration file
  std::string interval;   // as given (e.g. "60s"); empty: the configuration's
  bool once = false;      // one cycle per target (any slow-log backlog read to its end)
  bool from_end = false;  // slow-log files seen for the first time start at their end
  DetectionOverrides detection;
  std::string metrics_file;  // Prometheus metrics rewritten after each cycle; empty: none
};

// The configuration's detection settings with `overrides` applied. Throws
// InvalidInput for a span the rules refuse.
DetectionConfig with_overrides(DetectionConfig config, const DetectionOverrides& overrides);

// Stop requests shared by the target threads (SIGINT/SIGTERM, or a test).
class StopSignal {
 public:
  void request();
  bool requested();
  // Sleeps until `deadline` or a stop request; true when stopping.
  bool wait_until(std::chrono::system_clock::time_point deadline);

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
};

// Continuous detection as collect runs it: after every `settings.every_cycles` cycles of a
// target, and trends once a day.
struct CollectDetection {
  DetectionConfig settings;  // as configured, with the command line's overrides
  ContinuousDetectionOptions options;
};

// One target's loop, as run_targets runs it.
struct TargetRun {
  const Config* config = nullptr;        // the store, retention
  const TargetConfig* target = nullptr;  // in `config`
  std::chrono::seconds interval{60};
  bool once = false;
  bool from_end = false;
  bool runs_rollups = false;  // this target's thread runs the store's rollups and pruning
  CollectDetection detection;
  // Alerts: the routing of the target's health events (its findings' go through
  // detection.options.on_changes) and the sender to wake when something was queued;
  // null when the configuration has no `alerts:` section.
  const AlertRouting* alerts = nullptr;
  AlertSender* sender = nullptr;
  // Told how the target's store work went, for the store's own alert (store_alerts.h);
  // null: nobody.
  StoreHealth* store_health = nullptr;
  RunMetrics* metrics = nullptr;  // told of each pass of the loop; null without --metrics-file
  // How long a cycle may run before the watchdog reports it (the first run's counts for
  // all); 0: stalled_after(interval).
  std::chrono::seconds stalled_after{0};
};

// The collector of a run's target (connectors/collector_factory.h): null for a source this
// build cannot collect. Throws for settings that cannot be used.
std::unique_ptr<Collector> collector_for(const TargetRun& run);

// Makes a target's collector afresh: run_targets calls it when a target's state in the store
// moved on without this process (a takeover, a cycle whose commit failed).
using CollectorMaker = std::function<std::unique_ptr<Collector>(const TargetRun& run)>;

// How a target's loop ended.
enum class TargetOutcome {
  kOk,
  kFailed,         // its last cycle failed, or (--once) another process collects it
  kLoginRefused,   // (--once) its server refused the login: a person must act
  kStoreUnusable,  // the store cannot be used (schema too new, login refused): all stop
};

// Runs every target's loop in its own thread until each is done (once) or `stop` is
// requested — with a watchdog that reports a cycle that does not end (cycle_watchdog.h)
// unless once — and returns the exit status: 0 done or stopped; 1 (once) a target failed; 2 a
// store that cannot be used, or (once) a target whose login was refused. `collectors[i]` is
// the first collector of `runs[i]`, each logs what its cycles did (CycleReport::notes), and
// a failing target is retried with backoff (once an interval when a person must act).
int run_targets(const std::vector<TargetRun>& runs,
                std::vector<std::unique_ptr<Collector>> collectors, const CollectorMaker& make,
                StopSignal& stop);

// The whole collect run: reads the configuration, applies the overrides, and collects until
// SIGINT/SIGTERM (SIGHUP is logged and ignored) or, with `once`, one cycle per target.
// Returns the exit status of run_targets, or 2 for bad configuration or settings (a metrics
// file that cannot be written among them). With a metrics file, it is written before the
// first cycle, after each cycle of any target and at the end (app/run_metrics.h).
int run_collect(const CollectSettings& settings);

}  // namespace slowscope
