// SlowLogFileCollector: one collection cycle of a MySQL target whose source is a slow-log
// file — read the entries completed since the last cycle (SlowLogTailer), add them up per
// (interval bucket, database, shape), and write the samples, new statements, notices and
// the new file position to the store in one write_cycle transaction. Because the position
// commits with the samples, a crash at any instant neither loses nor double-counts an
// entry: the next cycle resumes from the last committed position.
//
// Every reader of a target's slow-log files (`collect` following the log, `digest --store`
// adding files) also records, in the same transaction, how far it read each file
// (Store::log_files), and changes that record only if it is still as the reader last saw
// it. A reader that finds a file already read further by another resumes after what the
// other stored, so an entry is stored once whoever reads it, and in whatever order.
//
// One thread at a time: one collector (with its tailer) per target and thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
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
  // Bytes of the file skipped because another reader had stored their entries already,
  // and who ("collect", "digest"); 0 when none.
  uint64_t already_stored = 0;
  std::string stored_by;
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
    // Who reads, as Store::log_files records it: "collect" or "digest".
    std::string reader{"collect"};
    // Follow the log to whatever file the path names next (collect); false: read only the
    // file at the path (digest), ignoring a stored position in another file.
    bool follow_rotations = true;
    // Store one literal statement per new statement key (the target's `examples:`).
    bool keep_examples = false;
  };

  SlowLogFileCollector(std::string target, std::string path, Options options);

  // Runs one cycle at wall-clock time `now`, bucketing entries by `interval`. Throws
  // std::system_error (reading) or StoreError; the committed position is then unchanged.
  // When another reader stored entries of the file meanwhile, writes nothing, reports
  // caught_up = false and resumes after them on the next call.
  SlowLogCycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                               std::chrono::seconds interval);

  const std::string& path() const { return tailer_.path(); }

 private:
  using FileKey = std::pair<uint64_t, uint64_t>;  // device, inode

  // Reads the committed position and the files the store holds.
  void load(Store& store);

  // Moves the position past what the store holds of its file (another reader stored it,
  // or this reader is about to start a file that was read before).
  void skip_stored(SlowLogCycleReport& report);

  // The record of the file `span` read, to replace the one this reader knows.
  LogFileWrite file_write(const TailSpan& span, StoreTime at) const;

  std::string target_;
  Options options_;
  SlowLogTailer tailer_;
  bool loaded_ = false;
  std::optional<SlowLogPosition> position_;
  LogStatements statements_;
  std::map<FileKey, LogFileRecord> files_;  // this host's files as the store last held them
};

}  // namespace slowscope
