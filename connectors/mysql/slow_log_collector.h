// SlowLogFileCollector: one collection cycle of a MySQL target whose source is a slow-log
// file — read the entries completed since the last cycle (SlowLogTailer), add them up per
// (interval bucket, database, shape), and write the samples, new statements, notices and
// the new file position to the store in one write_cycle transaction. Because the position
// commits with the samples, a crash at any instant neither loses nor double-counts an
// entry: the next cycle resumes from the last committed position.
//
// One thread at a time: one collector (with its tailer) per target and thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/store/store.h"
#include "connectors/mysql/log_samples.h"
#include "connectors/mysql/slow_log_tailer.h"

namespace slowscope {

// The checkpoint that holds the SlowLogPosition of a target's configured slow log.
inline constexpr std::string_view kSlowLogCheckpoint = "slow_log_position";

// What one cycle did, for logs and tests.
struct SlowLogCycleReport {
  bool written = false;      // false: nothing new to store
  bool caught_up = true;     // false: more of the file is waiting (a backlog), run again now
  uint64_t bytes = 0;        // parsed this cycle
  uint64_t entries = 0;      // delivered by the parser, own statements included
  uint64_t own_entries = 0;  // slowscope's own statements, not stored
  uint64_t untimed = 0;      // entries without a time, stored in the bucket of the read
  uint64_t skipped = 0;      // junk spots skipped by the parser
  size_t samples = 0;
  size_t new_statements = 0;
  uint64_t position = 0;  // byte offset reached in the current file
  std::vector<CollectorEvent> events;
  double read_ms = 0;
  double store_ms = 0;
};

class SlowLogFileCollector {
 public:
  struct Options {
    bool from_end = false;  // without a checkpoint: start at the end of the file
    uint64_t max_bytes_per_cycle = uint64_t{256} << 20;
    bool take_last_entry = false;  // see SlowLogTailer::ReadOptions
    // The checkpoint holding the position: one per followed file of the target.
    std::string checkpoint{kSlowLogCheckpoint};
  };

  SlowLogFileCollector(std::string target, std::string path, Options options);

  // Runs one cycle at wall-clock time `now`, bucketing entries by `interval`. Throws
  // std::system_error (reading) or StoreError; the committed position is then unchanged.
  SlowLogCycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                               std::chrono::seconds interval);

  const std::string& path() const { return tailer_.path(); }

 private:
  std::string target_;
  Options options_;
  SlowLogTailer tailer_;
  bool loaded_ = false;
  std::optional<SlowLogPosition> position_;
  LogStatements statements_;
};

}  // namespace slowscope
