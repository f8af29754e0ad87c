// Collector: the one protocol between `collect`'s loop and a target's source. Whatever the
// source (pg_stat_statements, a slow-log file, mysql.slow_log, performance_schema), a cycle
// reads what is new, writes it to the store in one transaction, and says what it did in a
// CycleReport. The loop knows nothing else of the source: it schedules cycles, holds the
// target's lease, retries failures and runs detection.
//
// A cycle that fails for a reason of the source throws CollectorError, which carries the
// collector's health and a message naming the target: a database source's SourceError
// (source_error.h) becomes one with the health its kind tells (health_of). The store's own
// errors (StoreError) pass through unchanged, since the loop handles those for every target
// alike.
//
// One thread at a time: one collector per target and thread.
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/store/store.h"
#include "connectors/common/source_error.h"

namespace slowscope {

// What a collector can tell of its source after its last cycle.
enum class CollectorHealth {
  kOk,                // the cycle ran
  kUnreachable,       // no connection to the server, or it broke or timed out
  kLoginRefused,      // the server refused the login: credentials, access rules, privileges
  kMisconfigured,     // the target's settings cannot be used (e.g. an unreadable password file)
  kExtensionMissing,  // PostgreSQL: pg_stat_statements is not installed
  kCoverageLost,      // the cycle ran, but some of what ran since the last is not counted
  kLogMissing,        // the slow-log file is not there (waited for; with --once a failure)
  kLogNotGrowing,     // the server is up, but its slow queries do not reach the followed file
  kStalled,           // a cycle has not ended long after it began (collect's watchdog says)
  kFailed,            // anything else
};

// "ok", "unreachable", "login refused", ...
std::string_view to_string(CollectorHealth health);

// True when retrying sooner than once an interval cannot help: a person must act.
bool needs_a_person(CollectorHealth health);

// One line the collect loop logs of a cycle, after the target's name.
struct CycleNote {
  spdlog::level::level_enum level = spdlog::level::info;
  std::string text;

  bool operator==(const CycleNote&) const = default;
};

// What one cycle did. The per-source reports (PgssCycleReport, SlowLogCycleReport,
// MysqlCycleReport) map into it; `notes` keep their per-source detail as it is logged.
struct CycleReport {
  bool written = false;       // something was committed to the store
  bool more_waiting = false;  // a backlog not caught up: run the next cycle at once
  CollectorHealth health = CollectorHealth::kOk;
  // For a health other than kOk, what the cycle found, as the health alert says it (never
  // a secret); may be empty.
  std::string problem;
  uint64_t entries = 0;  // what the source delivered: log entries, rows, moved counters
  size_t samples = 0;
  size_t new_statements = 0;
  std::vector<CollectorEvent> events;  // what the cycle noticed (stored with it, mostly)
  std::vector<std::string> warnings;   // never a password
  // Where the cycle's time went, in milliseconds; 0 where a source does not measure it.
  double read_ms = 0;            // reading the source
  double store_ms = 0;           // writing the cycle
  double flush_ms = 0;           // the store's WAL flush after a written cycle
  // PostgreSQL: pg_stat_statements_info.dealloc as the cycle read it — how often entries
  // were evicted since the server's statistics reset (14+), for monitoring; nullopt else.
  std::optional<int64_t> pgss_dealloc;
  std::vector<CycleNote> notes;  // in order; say nothing twice across cycles
};

class Collector {
 public:
  virtual ~Collector() = default;

  // Runs one cycle at wall-clock time `now` for an `interval`-long cadence and, when it
  // wrote, flushes the store's WAL (the cycle is committed already; this uses the rest
  // of the interval). Throws CollectorError (the source failed) or StoreError; the
  // collector's committed state is then unchanged.
  virtual CycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                                std::chrono::seconds interval) = 0;

  // The health after the last cycle (kOk before the first).
  virtual CollectorHealth health() const = 0;
};

// A cycle that failed for a reason of the target's source. what() names the target.
class CollectorError : public std::runtime_error {
 public:
  // `notes`: what the cycle had to say before it failed, logged before the error.
  CollectorError(CollectorHealth health, const std::string& message,
                 std::vector<CycleNote> notes = {})
      : std::runtime_error(message), health_(health), notes_(std::move(notes)) {}
  CollectorHealth health() const { return health_; }
  const std::vector<CycleNote>& notes() const { return notes_; }

 private:
  CollectorHealth health_;
  std::vector<CycleNote> notes_;
};

// The health a source's error tells: unreachable, login refused, misconfigured, extension
// missing, or failed.
CollectorHealth health_of(const SourceError& error);

// Runs a source's cycle, `run()`, keeping `health` up to date: a SourceError becomes a
// CollectorError with the health its kind tells, anything else leaves kFailed and passes.
template <typename Run>
auto run_source_cycle(CollectorHealth& health, Run&& run) -> decltype(run()) {
  try {
    return run();
  } catch (const SourceError& e) {
    health = health_of(e);
    throw CollectorError(health, e.what());  // SourceError names the target
  } catch (...) {
    health = CollectorHealth::kFailed;
    throw;
  }
}

// Flushes the store's WAL after a written cycle; returns how long it took in ms.
double flush_store_wal(Store& store);

// kCoverageLost when `events` hold a coverage gap, else kOk.
CollectorHealth health_of_events(const std::vector<CollectorEvent>& events);

// For a counter source whose cycle at `at` covers [covered_from, bucket_end) (epoch
// seconds): a kCollectionGap event when that is more than two intervals of `step` seconds —
// intervals nobody polled, whose calls the sample spreads over the whole span.
std::optional<CollectorEvent> collection_gap_event(StoreTime at, int64_t covered_from,
                                                   int64_t bucket_end, int64_t step);

}  // namespace slowscope
