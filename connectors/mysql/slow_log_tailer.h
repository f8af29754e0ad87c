// SlowLogTailer: follows a growing MySQL/MariaDB slow log across rotations, delivering each
// complete entry once, from a position the caller stores (a store checkpoint, committed in
// the same transaction as the samples those entries produced).
//
// A position names the file by identity — device, inode and a hash of its first bytes, since
// inodes are reused — and an offset where a fresh entry starts, with what the next entry
// inherits (db, ts). Each read() resumes there and stops at the last entry boundary it can
// prove (slow_log_reader.h's split points), so a half-written last entry waits for the next
// read. An entry at the very end of the file is taken once the file has stopped growing
// between two reads and the entry is complete (its statement closed by ';').
//
// Rotations, whether slowscope was running or not:
//  - rename (+ FLUSH SLOW LOGS) or delete + recreate: the old file, found through the open
//    descriptor or by identity in the log's folder, is read to its end once the server has
//    opened a new file at the path; then the next read() reads the new file from its start;
//  - copytruncate or truncate: the file shrank below the position, or its first bytes
//    changed: it is read again from its start, and a possible gap is reported (entries
//    written after the last read and before the truncation may be lost, never counted
//    twice);
//  - the old file gone without trace: its unread rest is reported as a possible gap.
//
// Not thread-safe: one tailer per followed log.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/slow_log_parser.h"

namespace slowscope {

// Which file a position belongs to.
struct SlowLogFileId {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint32_t head_bytes = 0;  // how many first bytes head_hash covers (at most kHeadBytes)
  uint64_t head_hash = 0;

  static constexpr uint32_t kHeadBytes = 1024;

  bool operator==(const SlowLogFileId&) const = default;
};

// Where to resume reading a slow log.
struct SlowLogPosition {
  SlowLogFileId file;
  uint64_t offset = 0;  // a fresh entry starts here (or the file ends here)
  uint64_t line = 1;    // line number at offset, for messages
  SlowLogCarry carry;   // what the next entry inherits

  // Compact text for a checkpoint; parse() reads it back, nullopt when it is not one.
  std::string serialize() const;
  static std::optional<SlowLogPosition> parse(std::string_view text);

  bool operator==(const SlowLogPosition& other) const;
};

// Something about the followed file worth a log line and a stored event.
struct TailNotice {
  enum class Kind {
    kRotated,  // the file was rotated; the old one was read to its end
    kRestart,  // truncated or replaced in place: read again from its start
    kGap,      // entries may have been lost (bytes_lost: at most this many bytes)
    kWaiting,  // the path does not exist (yet)
  };
  Kind kind;
  std::string message;
  uint64_t bytes_lost = 0;
};

// The bytes of one file a read() parsed: [begin, end.offset) of the file end.file names.
struct TailSpan {
  uint64_t begin = 0;
  SlowLogPosition end;
};

// What one read() did.
struct TailBatch {
  std::optional<SlowLogPosition> next;  // where to resume; empty when no file was seen yet
  std::optional<TailSpan> span;         // what was parsed; empty when nothing was
  ParseStats stats;                     // of the bytes parsed by this read
  uint64_t bytes = 0;                   // bytes parsed
  // False when more is waiting: max_bytes stopped the read, or it finished a rotated file
  // (a read parses one file, so that its span says which bytes of which file it took).
  bool caught_up = true;
  std::vector<TailNotice> notices;
};

class SlowLogTailer {
 public:
  explicit SlowLogTailer(std::string path, SlowLogParserOptions options = {});
  ~SlowLogTailer();
  SlowLogTailer(const SlowLogTailer&) = delete;
  SlowLogTailer& operator=(const SlowLogTailer&) = delete;

  struct ReadOptions {
    uint64_t max_bytes = uint64_t{256} << 20;  // parse about this much at most
    bool start_at_end = false;                 // without a position: start at the file's last entry
    // Take a complete entry at the end of the file at once rather than after the file
    // stopped growing for one read (a last pass, e.g. `collect --once`).
    bool take_last_entry = false;
    // Called, rarely, when the events this read delivered so far must be forgotten: they
    // will be delivered again, up to a different end. Without it they would be repeated.
    std::function<void()> on_discard;
  };

  // Delivers to `sink` the complete entries after `from` (nullopt: from the start of the
  // file at the path). Throws std::system_error for I/O errors other than a missing file.
  TailBatch read(const std::optional<SlowLogPosition>& from, const SlowLogParser::Sink& sink,
                 const ReadOptions& options);

  const std::string& path() const { return path_; }

  // Whether the file `id` names can be found — the one last read, the file at the path, or
  // one renamed in its folder — with the first id.head_bytes bytes it had then.
  bool finds(const SlowLogFileId& id);

 private:
  struct OpenFile;

  std::optional<OpenFile> locate(const SlowLogFileId& id);
  std::optional<OpenFile> open_path();

  std::string path_;
  SlowLogParserOptions options_;
  int held_fd_ = -1;  // the file last read, kept open so a deleted file can be drained
  SlowLogFileId held_id_;
  uint64_t last_size_ = 0;  // of the held file at the end of the last read
};

}  // namespace slowscope
