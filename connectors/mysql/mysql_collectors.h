// Collection cycles of the two MySQL sources that need a connection, mirroring
// SlowLogFileCollector: each cycle reads what is new, turns it into per-interval samples
// and writes them with the source's state as checkpoint in one write_cycle transaction; the
// in-memory state moves only once that committed.
//
//  - SlowLogTableCollector: mysql.slow_log rows (SlowLogTableReader), aggregated like the
//    slow-log file (same statement keys and shapes, sketches included).
//  - DigestCollector: performance_schema digest counters (DigestSummaryPoller), turned into
//    interval deltas like pg_stat_statements; no per-call variance (sum_sq stays 0).
//
// One thread at a time: one collector (with its session) per target and thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/store/store.h"
#include "connectors/common/known_statements.h"
#include "connectors/mysql/digest_snapshot.h"
#include "connectors/mysql/digest_summary_poller.h"
#include "connectors/mysql/log_samples.h"
#include "connectors/mysql/mysql_session.h"
#include "connectors/mysql/slow_log_table_reader.h"

namespace slowscope {

// What one cycle of a connection-based MySQL source did, for logs and tests.
struct MysqlCycleReport {
  bool written = false;   // false: nothing new, or (performance_schema) the bucket is written
  bool baseline = false;  // performance_schema: the first snapshot, no deltas yet
  // performance_schema: nothing stored because the cycle's bucket is written already.
  bool bucket_taken = false;
  // performance_schema: how long the samples cover, one interval or, after downtime, the
  // whole span since the last cycle.
  std::chrono::seconds covered{0};
  int64_t entries = 0;    // rows delivered (table) or digests that moved
  size_t samples = 0;
  size_t new_statements = 0;
  std::vector<CollectorEvent> events;
  std::vector<std::string> warnings;  // to log once; never a password
};

class SlowLogTableCollector {
 public:
  explicit SlowLogTableCollector(const TargetConfig& target);

  // Throws SourceError or StoreError; the committed state is then unchanged.
  MysqlCycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                             std::chrono::seconds interval);

 private:
  std::string target_;
  bool keep_examples_ = false;  // the target's `examples:`
  MysqlSession session_;
  std::unique_ptr<SlowLogTableReader> reader_;  // made once the checkpoint is loaded
  LogStatements statements_;
  bool warned_whole_seconds_ = false;
};

class DigestCollector {
 public:
  explicit DigestCollector(const TargetConfig& target);

  // Samples go into the bucket floor(now, interval) − interval, like PostgreSQL targets, or
  // cover the whole span since the last bucket written after downtime; a cycle whose bucket
  // is written already stores nothing and keeps its snapshot (what ran since goes into the
  // next bucket). Throws SourceError or StoreError; the committed state is then unchanged.
  MysqlCycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                             std::chrono::seconds interval);

 private:
  std::string target_;
  bool keep_examples_ = false;  // the target's `examples:`
  MysqlSession session_;
  DigestSummaryPoller poller_;
  bool loaded_ = false;
  std::optional<DigestSnapshot> previous_;
  // Epoch seconds of the bucket of the last cycle written, and of the last one that stored
  // samples (the bucket a later cycle must not write again); 0: none.
  int64_t last_bucket_ = 0;
  int64_t last_sampled_bucket_ = 0;
  KnownStatements known_;
};

}  // namespace slowscope
