// The metrics of a command's run for Prometheus (--metrics-file of collect, check and
// report): a registry the command tells what happened — collect after each cycle of each
// target and once at exit, check and report once at their end — rendered in the text
// exposition format (reports/metrics/prometheus_text.h) and written for node_exporter's
// textfile collector, so that teams alert on slowscope with their own rules. docs/METRICS.md
// lists the series.
//
// Labels hold command, target, sink, finding kind and severity names only: never query text
// or a literal. The file is replaced atomically (a temporary file in the same folder, then a
// rename), mode 0644, so a reader never sees half of it. What a previous run of the same
// command left in the file is carried forward — the last success times and collect's
// counters — so that a failing run, or a restart, does not make a target look new.
//
// Thread-safe: collect's target threads share one registry.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/regression/release_check.h"
#include "analyzer/store/store.h"
#include "connectors/common/collector.h"
#include "reports/metrics/prometheus_text.h"

namespace slowscope {

// What one pass of collect's loop for a target came to.
enum class CycleResult {
  kRan,         // the collector's cycle ran (and was stored)
  kFailed,      // it, or the store's work after it, failed
  kStandingBy,  // another process holds the target's lease
};

class RunMetrics {
 public:
  // The metrics of `command` ("collect", "check", "report"), for the file at `path`, whose
  // last success times and counters from an earlier run of `command` are carried forward.
  RunMetrics(std::string command, std::string path);

  RunMetrics(const RunMetrics&) = delete;
  RunMetrics& operator=(const RunMetrics&) = delete;

  const std::string& path() const { return path_; }

  // collect: the targets it runs and the alert sinks it sends to; each gets its series from
  // the first write on (a target's last success: carried forward, else 0).
  void add_targets(const std::vector<std::string>& targets);
  void add_sinks(const std::vector<std::string>& sinks);

  // collect: a pass of `target`'s loop that took `seconds` ended at `at`. `dealloc`: the
  // pg_stat_statements dealloc count its cycle read (CycleReport::pgss_dealloc).
  void cycle_ended(const std::string& target, CycleResult result,
                   std::chrono::system_clock::time_point at, double seconds,
                   std::optional<int64_t> dealloc = std::nullopt);

  // collect: reads the open findings of `target` (every added target when empty) and the
  // alert outbox's backlog from `store`. A failure is logged at debug level and keeps what
  // was read before: the cycle's own outcome is what counts.
  void read_store(Store& store, const std::string& target);

  // As read_store(store, "") from a connection to the store at `location` of its own.
  void read_store(const StoreLocation& location);

  // check: the findings of its evaluated targets.
  void check_findings(const CheckResult& result);

  // The command ended with exit status `status` after `seconds`, at `at`; `succeeded`: that
  // status means it did its job (check: a verdict; report: written; collect: 0).
  void command_ended(int status, bool succeeded, std::chrono::system_clock::time_point at,
                     double seconds);

  // The file's text as it stands. Never throws for what the registry holds.
  std::string text() const;

  // Writes text() to the file, replacing it atomically. Throws std::runtime_error naming
  // the path and the system's error (which the caller reports).
  void write();

  // As write(), but a failure is logged as a warning instead, unless the last write failed
  // the same way (said already): for a collector, which goes on collecting.
  void write_or_warn();

 private:
  struct TargetSeries {
    std::optional<double> last_run;
    double last_success = 0;
    std::optional<double> cycle_seconds;
    double cycles = 0;
    double errors = 0;
    std::optional<bool> lease_held;
    std::optional<int64_t> dealloc;
    // (kind, severity) -> open findings; nullopt until read from the store.
    std::optional<std::map<std::pair<std::string, std::string>, int64_t>> open_findings;
  };
  struct Ending {
    int status = 0;
    double at = 0;
    double seconds = 0;
    double last_success = 0;
  };

  std::vector<MetricFamily> families() const;  // mutex_ held

  const std::string command_;
  const std::string path_;
  mutable std::mutex mutex_;
  std::map<std::string, TargetSeries> targets_;
  std::map<std::string, TargetSeries> carried_;  // from the file, until add_targets
  double carried_command_success_ = 0;
  std::set<std::string> sinks_;
  // (sink, state) -> deliveries; nullopt until read from the store.
  std::optional<std::map<std::pair<std::string, std::string>, int64_t>> backlog_;
  // (target, kind, severity) -> findings of the check; nullopt for other commands.
  std::optional<std::map<std::tuple<std::string, std::string, std::string>, int64_t>>
      check_findings_;
  std::optional<Ending> ending_;
  uint64_t generation_ = 0;  // of the state, counted by every change

  std::mutex write_mutex_;  // one write at a time, the newest state last
  uint64_t written_generation_ = 0;
  std::string last_failure_;  // of the last write, if it failed
};

// A pass of collect's loop for one target, timed from construction: told whether the
// collector's cycle ran, then ended once the pass's errors are known. Does nothing without a
// registry.
class CycleMeter {
 public:
  // `failures`: the loop's count of failures in a row at the pass's start.
  CycleMeter(RunMetrics* metrics, const std::string& target, int failures);

  // The collector's cycle ran and reported `report`.
  void ran(const CycleReport& report);

  // The pass ended with `failures` in a row: more than at the start, it failed; else it ran
  // the cycle, or stood by (the lease is another's). `store` (null after a store error) is
  // read for the findings and the outbox. Records the pass and rewrites the file.
  void end(int failures, Store* store);

 private:
  RunMetrics* metrics_;
  const std::string& target_;
  int failures_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool ran_ = false;
  std::optional<int64_t> dealloc_;
};

}  // namespace slowscope
