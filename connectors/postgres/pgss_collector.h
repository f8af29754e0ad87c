// PgssCollector: one collection cycle of one PostgreSQL target — poll pg_stat_statements,
// fetch the text of statements never seen before, compute the interval's deltas and write
// them, the new statements, the collector state and any events to the store in one
// write_cycle transaction.
//
// The collector state (last snapshot, own statements) lives in the store's checkpoints, so
// that a restarted collector subtracts exactly what the last committed cycle saw. If a
// cycle fails, nothing of it is stored and the in-memory state stays that of the last
// committed cycle.
//
// One thread at a time: one collector (with its poller and store) per target and thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/store/store.h"
#include "connectors/common/known_statements.h"
#include "connectors/postgres/collector_state.h"
#include "connectors/postgres/pgss_delta.h"
#include "connectors/postgres/pgss_poller.h"

namespace slowscope {

// What one cycle did, for logs and tests; PostgresTargetCollector maps it into the collect
// loop's CycleReport (connectors/common/collector.h).
struct PgssCycleReport {
  bool written = false;  // false: the cycle came too early for a new bucket, nothing stored
  EpochBreak server_break = EpochBreak::kNone;
  StoreTime bucket_start;  // the cycle's bucket: floor(now, interval) − interval
  std::chrono::seconds interval{0};
  // Where the samples start: bucket_start, or earlier when the previous poll was more than
  // an interval before (the collector was away): the samples then cover the whole span.
  StoreTime covered_from;
  size_t samples = 0;
  size_t new_statements = 0;
  size_t own_statements = 0;  // found this cycle and excluded from now on
  size_t texts_deferred = 0;  // text fetch failed: retried next cycle
  int64_t hidden_entries = 0;
  // pg_stat_statements_info.dealloc as polled: evictions since the server's statistics
  // reset (PostgreSQL 14+; nullopt before).
  std::optional<int64_t> dealloc;
  std::vector<CollectorEvent> events;
  std::vector<std::string> warnings;  // to log; never contain a password
  // Where the cycle's time went, in milliseconds.
  double poll_ms = 0;   // server facts and counters
  double texts_ms = 0;  // text fetch and shapes of new statements
  double delta_ms = 0;  // deltas, events, checkpoint encoding
  double store_ms = 0;  // write_cycle
  // CPU time this thread spent on the four parts above: on a busy machine the wall times
  // mostly measure waiting for a core, this does not.
  double cpu_ms = 0;
};

class PgssCollector {
 public:
  // keep_examples: store each new statement's text as pg_stat_statements has it (the
  // target's `examples:`); otherwise only its literal-free shape.
  PgssCollector(std::string target, std::unique_ptr<PgssPoller> poller,
                bool keep_examples = false);

  // Runs one cycle at wall-clock time `now` for an `interval`-long cadence: samples go into
  // the bucket floor(now, interval) − interval, or, when the previous poll lies further
  // back (downtime), cover the whole span from the interval boundary before that poll, with
  // the span's real length as their interval. Throws SourceError or StoreError; the state is
  // then unchanged.
  PgssCycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                        std::chrono::seconds interval);

  const PgssPoller& poller() const { return *poller_; }
  PgssPoller& poller() { return *poller_; }

 private:
  void load_state(Store& store);

  std::string target_;
  std::unique_ptr<PgssPoller> poller_;
  bool keep_examples_ = false;
  bool state_loaded_ = false;
  std::optional<CollectorState> state_;  // empty: no committed cycle yet
  KnownStatements known_;
};

// The events of one interval: epoch breaks, evictions (dealloc growth) and entries hidden
// for lack of privileges (reported when they appear; `hidden_before` is -1 on a baseline).
std::vector<CollectorEvent> interval_events(const IntervalDeltas& deltas, int64_t hidden_before,
                                            int64_t hidden_now, std::string_view role,
                                            StoreTime at);

// True when the pg_stat_statements entry `key` of `server`, with `text`, is a statement
// PostgreSQL ran inside one of the store's writes: a nested entry (track = all) in the
// store's database whose text is a referential-integrity query on one of the store's tables
// (`... ONLY "schema"."table" ...`, as PostgreSQL generates them). `store` is where the
// store's tables are (nullopt: not a PostgreSQL store).
bool runs_inside_store_writes(const StatementKey& key, std::string_view text,
                              const ServerIdentity& server,
                              const std::optional<StoreTablesLocation>& store);

// The sentence that tells a user how to see other roles' statements.
std::string hidden_entries_message(int64_t hidden, std::string_view role);

}  // namespace slowscope
