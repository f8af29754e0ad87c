// Reading slow logs from files, stdin or memory, sequentially or with several threads.
//
// Sequential reading streams the input through one SlowLogParser in fixed-size blocks
// (read(2), never a whole-file mmap), so memory stays at about one block plus the
// largest entry whatever the input size.
//
// Parallel reading splits one regular file into byte ranges that start at entry
// boundaries, gives each range its own thread, parser and sink, and guarantees that the
// ranges' events, taken in range order, equal a sequential parse: same entries, same
// statement text, same line numbers (or, with range_relative_lines, line numbers off by
// what ParallelParseResult::range_first_lines says), and the same inherited ts/db, worked
// out before a range's first event is delivered.
//
// Ranges start at split points (slow_log_split_points.h): entry heads where a sequential
// parse surely starts a fresh entry with nothing pending, proven by simulating the parse
// from a nearby anchor, which also tells what the range inherits (db, ts). Where no
// anchor is within a few MiB (a log without Time lines), no split point is found and the
// file is read in fewer ranges, down to one. The range's first line number comes from
// counting the newlines of the range before, unless lines are numbered per range.
//
// The functions are safe to call from several threads at once on different inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/slow_log_parser.h"

namespace slowscope {

// Random-access input. read_at must be safe to call from several threads at once.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Total size in bytes.
  virtual uint64_t size() const = 0;
  // Copies up to `n` bytes from `offset` into `out`; returns how many (fewer only at the
  // end). Throws std::system_error on I/O errors.
  virtual size_t read_at(uint64_t offset, char* out, size_t n) const = 0;
};

// A regular file read with pread(2). Throws std::system_error naming the path when it
// cannot be opened or is not a regular file.
class FileByteSource final : public ByteSource {
 public:
  explicit FileByteSource(const std::string& path);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;

  uint64_t size() const override { return size_; }
  size_t read_at(uint64_t offset, char* out, size_t n) const override;

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Bytes already in memory; they must outlive the source.
class MemoryByteSource final : public ByteSource {
 public:
  explicit MemoryByteSource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  size_t read_at(uint64_t offset, char* out, size_t n) const override;

 private:
  std::string_view bytes_;
};

struct SlowLogReadOptions {
  SlowLogParserOptions parser;
  size_t block_bytes = size_t{1} << 20;  // bytes per read(2)
  // Parallel parsing: number the lines of every range from 1 instead of first counting
  // the lines of the ranges before it (a read of all of them). Events then carry line
  // numbers relative to their range; ParallelParseResult::range_first_lines says what
  // to add. The stats' line numbers (skipped lines, first bad Query_time, first text
  // without header) are whole-input line numbers either way.
  bool range_relative_lines = false;
};

// Parses the slow log at `path` ("-" reads stdin) in one thread; returns its stats.
// Throws std::system_error (with the path) when the input cannot be read.
ParseStats read_slow_log(const std::string& path, const SlowLogParser::Sink& sink,
                         const SlowLogReadOptions& options = {});

// Parses everything readable from the open descriptor `fd` (not closed); `name` is used
// in error messages.
ParseStats read_slow_log_fd(int fd, const std::string& name, const SlowLogParser::Sink& sink,
                            const SlowLogReadOptions& options = {});

// Result of a parallel parse: range i covers [range_starts[i], range_starts[i+1]) (the
// last one up to the end) and was delivered to the sink made for index i.
struct ParallelParseResult {
  std::vector<uint64_t> range_starts;
  std::vector<ParseStats> range_stats;
  std::vector<uint64_t> range_first_lines;  // the whole-input line number each range starts at
  ParseStats total;  // the range stats added up in order
};

// Makes the sink for range `index`. Sinks are made on the calling thread, in index
// order, each just before its range starts parsing (earlier ranges may be parsing
// already); sink `index` is then called only from the thread parsing that range.
using RangeSinkFactory = std::function<SlowLogParser::Sink(size_t index)>;

// Parses `path` with up to `threads` threads (fewer ranges when the file is small or has
// few split points; "-" and non-regular files are parsed sequentially as one range). The
// progress callback, if any, gets the total bytes over all threads, from worker threads,
// one call at a time. Rethrows the first worker error after all workers stopped.
//
// The ranges start at the points find_slow_log_split_points gives, but the first range
// is parsed from the start while they are being looked for: a range reads up to where
// the next split point is sought from, and waits there only if it is not found yet.
ParallelParseResult read_slow_log_parallel(const std::string& path, unsigned threads,
                                           const RangeSinkFactory& make_sink,
                                           const SlowLogReadOptions& options = {});

// Same over any source (always in ranges, also for one thread).
ParallelParseResult read_slow_log_parallel(const ByteSource& source, unsigned threads,
                                           const RangeSinkFactory& make_sink,
                                           const SlowLogReadOptions& options = {});

// Same over any source with explicit range starts: starts[0] must be 0 and every other
// start a split point (is_slow_log_split_point), ascending.
ParallelParseResult parse_slow_log_ranges(const ByteSource& source,
                                          const std::vector<uint64_t>& starts,
                                          const RangeSinkFactory& make_sink,
                                          const SlowLogReadOptions& options = {});

// Up to `parts` range starts for `source`: 0 and then the first split point found at or
// after each of `parts` - 1 targets that share the size out evenly, except that the
// first range is made a little larger (the others start later). `options`
// must be those the ranges are parsed with.
std::vector<uint64_t> find_slow_log_split_points(const ByteSource& source, unsigned parts,
                                                 const SlowLogParserOptions& options = {});

// The first split point in [from, limit), if one is found with reasonable effort (anchors
// within a few MiB): used to cut a growing file at an entry boundary.
std::optional<uint64_t> find_slow_log_split_point_from(const ByteSource& source, uint64_t from,
                                                  uint64_t limit,
                                                  const SlowLogParserOptions& options = {});

// Whether `offset` is a split point (see above) for parsing with `options`.
bool is_slow_log_split_point(const ByteSource& source, uint64_t offset,
                             const SlowLogParserOptions& options = {});

}  // namespace slowscope
