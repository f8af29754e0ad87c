#include "connectors/mysql/slow_log_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "connectors/mysql/slow_log_split_points.h"
#include "connectors/mysql/slow_log_syntax.h"

namespace slowscope {

namespace sx = slow_log_syntax;
using slow_log_split::AnchoredCarry;
using slow_log_split::find_split_from;
using slow_log_split::search_carry;

namespace {

constexpr size_t kCountBlock = size_t{1} << 20;  // bytes per read when counting newlines
// The first range's extra share, in ranges. The first range starts parsing at once; the
// others only once their split point is found (about 4% of the time it takes to parse a
// range of the sysbench log on two threads), and then, unless lines are numbered per
// range, after counting the newlines before them (another 6%). 0.08 evens out the
// finishing times of the sysbench log on two threads with range-relative lines, as the
// digest reads.
constexpr double kFirstRangeExtra = 0.08;

[[noreturn]] void throw_errno(const std::string& what, const std::string& name) {
  throw std::system_error(errno, std::generic_category(), what + " " + name);
}

uint64_t count_newlines(const ByteSource& src, uint64_t begin, uint64_t end) {
  uint64_t n = 0;
  const auto block = std::make_unique_for_overwrite<char[]>(kCountBlock);
  for (uint64_t pos = begin; pos < end;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kCountBlock, end - pos));
    const size_t got = src.read_at(pos, block.get(), want);
    if (got == 0) break;
    n += sx::count_newlines(block.get(), got);
    pos += got;
  }
  return n;
}

struct RangeStart {
  uint64_t line = 1;
  SlowLogCarry carry;
};

// Where split target k of `parts` (1 <= k < parts) lies. Every range but the first starts
// later (see kFirstRangeExtra), so the first gets a little more to parse and all of them
// finish at about once.
uint64_t split_target(uint64_t size, unsigned parts, unsigned k) {
  const double share = static_cast<double>(size) / (parts + kFirstRangeExtra);
  return static_cast<uint64_t>(share * (k + kFirstRangeExtra));
}

// Where a range ends: known from the start, or published later by the thread that finds
// the next split point. Until then the range's parser may read up to `floor`, which the
// end is known not to be below.
class RangeEnd {
 public:
  void set_floor(uint64_t floor) { floor_ = floor; }
  uint64_t floor() const { return floor_; }
  void set(uint64_t end, bool last) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      end_ = end;
      last_ = last;
      known_.store(true, std::memory_order_release);
    }
    changed_.notify_all();
  }
  bool known() const { return known_.load(std::memory_order_acquire); }
  // How far the range may be read now, and whether that is its end.
  std::pair<uint64_t, bool> limit() const {
    if (known()) return {end_, true};
    return {floor_, false};
  }
  void wait() const {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return known(); });
  }
  // Once known:
  uint64_t end() const { return end_; }
  bool last() const { return last_; }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::atomic<bool> known_{false};
  uint64_t floor_ = 0;
  uint64_t end_ = 0;
  bool last_ = false;
};

// Parses the range [begin, end) with its own parser and thread per range. Ranges are
// started in order, each where the one before ends; a range's parser starts at once and
// reads up to its end's floor while the next split point is still being looked for.
class RangeRunner {
 public:
  RangeRunner(const ByteSource& src, size_t max_ranges, const RangeSinkFactory& make_sink,
              const SlowLogReadOptions& options)
      : src_(src),
        make_sink_(make_sink),
        options_(options),
        ends_(std::make_unique<RangeEnd[]>(max_ranges)),
        promises_(max_ranges),
        sinks_(max_ranges),
        errors_(max_ranges),
        stats_(max_ranges),
        reported_(max_ranges, 0),
        next_report_(options.parser.progress_every_bytes) {
    futures_.reserve(max_ranges);
    for (auto& p : promises_) futures_.push_back(p.get_future().share());
    starts_.reserve(max_ranges);
    threads_.reserve(max_ranges);
  }
  RangeRunner(const RangeRunner&) = delete;
  RangeRunner& operator=(const RangeRunner&) = delete;

  // A range still open is cut at its floor (a result nobody reads: this is the error
  // path) so that its thread ends.
  ~RangeRunner() {
    if (!starts_.empty() && !ends_[starts_.size() - 1].known()) {
      RangeEnd& open = ends_[starts_.size() - 1];
      open.set(open.floor(), false);
    }
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  size_t count() const { return starts_.size(); }
  uint64_t last_start() const { return starts_.back(); }

  // Starts the next range at `begin` (0 for the first; for the others a split point after
  // the last start, where the range before now ends). Its end is at least `floor`.
  // `known`: what the search that found `begin` learnt about the carry there.
  void start(uint64_t begin, uint64_t floor, std::optional<AnchoredCarry> known = {}) {
    const size_t i = starts_.size();
    if (i > 0) ends_[i - 1].set(begin, false);
    ends_[i].set_floor(floor);
    const uint64_t prev = i > 0 ? starts_.back() : 0;
    starts_.push_back(begin);
    sinks_[i] = make_sink_(i);
    threads_.emplace_back(
        [this, i, begin, prev, known = std::move(known)] { work(i, begin, prev, known); });
  }

  // Ends the last range at the end of the input, waits for all and returns the result;
  // rethrows the first range's error, if any.
  ParallelParseResult finish() {
    if (!starts_.empty()) ends_[starts_.size() - 1].set(src_.size(), true);
    for (auto& t : threads_) t.join();
    for (const auto& e : errors_) {
      if (e) std::rethrow_exception(e);
    }
    ParallelParseResult result;
    result.range_starts = starts_;
    result.range_stats.assign(stats_.begin(), stats_.begin() + starts_.size());
    // A range ends at a split point, after a newline: its lines are its newlines.
    uint64_t line = 1;
    for (ParseStats& s : result.range_stats) {
      result.range_first_lines.push_back(line);
      if (options_.range_relative_lines) {
        for (uint64_t& skipped : s.first_skipped_lines) skipped += line - 1;
        if (s.first_bad_query_time_line != 0) s.first_bad_query_time_line += line - 1;
        if (s.first_headerless_line != 0) s.first_headerless_line += line - 1;
      }
      line += s.lines;
    }
    for (const ParseStats& s : result.range_stats) result.total.append(s);
    return result;
  }

 private:
  void work(size_t i, uint64_t begin, uint64_t prev, const std::optional<AnchoredCarry>& known) {
    bool published = false;
    try {
      RangeStart start;
      if (i > 0) {
        // What the range inherits comes from the range before (or further back, via
        // that range's own start), and so does its first line number.
        const uint64_t newlines =
            options_.range_relative_lines ? 0 : count_newlines(src_, prev, begin);
        SlowLogCarry own = search_carry(src_, prev, begin, options_, known ? &*known : nullptr);
        const RangeStart& before = futures_[i - 1].get();
        start.line = options_.range_relative_lines ? 1 : before.line + newlines;
        if (own.has_ts) {
          start.carry.has_ts = true;
          start.carry.ts_us = own.ts_us;
        } else {
          start.carry.has_ts = before.carry.has_ts;
          start.carry.ts_us = before.carry.ts_us;
        }
        if (own.has_db) {
          start.carry.has_db = true;
          start.carry.db = std::move(own.db);
        } else {
          start.carry.has_db = before.carry.has_db;
          start.carry.db = before.carry.db;
        }
      }
      promises_[i].set_value(start);
      published = true;
      stats_[i] = parse(i, begin, start);
    } catch (...) {
      errors_[i] = std::current_exception();
      if (!published) promises_[i].set_exception(std::current_exception());
    }
  }

  ParseStats parse(size_t i, uint64_t begin, const RangeStart& start) {
    SlowLogParser parser(sinks_[i], parser_options(i));
    parser.start_at(begin, start.line, start.carry);
    const RangeEnd& end = ends_[i];
    const size_t block = options_.block_bytes;
    for (uint64_t pos = begin;;) {
      const auto [limit, is_end] = end.limit();
      if (pos >= limit) {
        if (is_end) break;
        end.wait();
        continue;
      }
      const size_t want = static_cast<size_t>(std::min<uint64_t>(block, limit - pos));
      std::span<char> area = parser.write_area(want);
      const size_t n = src_.read_at(pos, area.data(), want);
      if (n == 0) break;
      parser.commit(n);
      pos += n;
    }
    end.wait();
    if (end.last()) {
      parser.finish();
    } else {
      parser.finish_range();
    }
    return parser.stats();
  }

  // Progress over all ranges: each parser reports its own total; the deltas add up here.
  SlowLogParserOptions parser_options(size_t i) {
    SlowLogParserOptions o = options_.parser;
    if (!options_.parser.on_progress) return o;
    o.progress_every_bytes = std::max<uint64_t>(1, options_.parser.progress_every_bytes / 4);
    o.on_progress = [this, i](uint64_t bytes) {
      uint64_t now = total_bytes_.fetch_add(bytes - reported_[i]) + (bytes - reported_[i]);
      reported_[i] = bytes;
      std::lock_guard<std::mutex> lock(progress_mutex_);
      if (now >= next_report_) {
        next_report_ = now + options_.parser.progress_every_bytes;
        options_.parser.on_progress(now);
      }
    };
    return o;
  }

  const ByteSource& src_;
  const RangeSinkFactory& make_sink_;
  const SlowLogReadOptions& options_;
  std::unique_ptr<RangeEnd[]> ends_;
  std::vector<std::promise<RangeStart>> promises_;
  std::vector<std::shared_future<RangeStart>> futures_;
  std::vector<SlowLogParser::Sink> sinks_;
  std::vector<std::exception_ptr> errors_;
  std::vector<ParseStats> stats_;
  std::vector<uint64_t> reported_;
  std::atomic<uint64_t> total_bytes_{0};
  std::mutex progress_mutex_;
  uint64_t next_report_;
  std::vector<uint64_t> starts_;  // written by the calling thread only
  std::vector<std::thread> threads_;
};

}  // namespace

FileByteSource::FileByteSource(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw_errno("cannot open", path);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    int saved = errno;
    ::close(fd_);
    errno = saved;
    throw_errno("cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "not a regular file: " + path);
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

FileByteSource::~FileByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t FileByteSource::read_at(uint64_t offset, char* out, size_t n) const {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read", path_);
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

size_t MemoryByteSource::read_at(uint64_t offset, char* out, size_t n) const {
  if (offset >= bytes_.size()) return 0;
  size_t k = std::min<size_t>(n, bytes_.size() - static_cast<size_t>(offset));
  std::memcpy(out, bytes_.data() + offset, k);
  return k;
}

ParseStats read_slow_log_fd(int fd, const std::string& name, const SlowLogParser::Sink& sink,
                            const SlowLogReadOptions& options) {
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // advisory; pipes just say no
#endif
  SlowLogParser parser(sink, options.parser);
  const size_t block = std::max<size_t>(options.block_bytes, 4096);
  while (true) {
    std::span<char> area = parser.write_area(block);
    ssize_t r = ::read(fd, area.data(), std::min(area.size(), block));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read", name);
    }
    if (r == 0) break;
    parser.commit(static_cast<size_t>(r));
  }
  parser.finish();
  return parser.stats();
}

ParseStats read_slow_log(const std::string& path, const SlowLogParser::Sink& sink,
                         const SlowLogReadOptions& options) {
  if (path == "-") return read_slow_log_fd(STDIN_FILENO, "<stdin>", sink, options);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open", path);
  try {
    ParseStats stats = read_slow_log_fd(fd, path, sink, options);
    ::close(fd);
    return stats;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::vector<uint64_t> find_slow_log_split_points(const ByteSource& source, unsigned parts,
                                                 const SlowLogParserOptions& options) {
  std::vector<uint64_t> starts{0};
  const uint64_t size = source.size();
  for (unsigned k = 1; k < parts; ++k) {
    const uint64_t target = std::max(split_target(size, parts, k), starts.back() + 1);
    if (target >= size) break;
    auto p = find_split_from(source, target, size, options);
    if (!p) break;  // none found in the rest of the input
    starts.push_back(*p);
  }
  return starts;
}

ParallelParseResult parse_slow_log_ranges(const ByteSource& source,
                                          const std::vector<uint64_t>& starts,
                                          const RangeSinkFactory& make_sink,
                                          const SlowLogReadOptions& options) {
  if (starts.empty() || starts[0] != 0) {
    throw std::logic_error("parse_slow_log_ranges: the first range must start at 0");
  }
  for (size_t i = 1; i < starts.size(); ++i) {
    if (starts[i] <= starts[i - 1] || starts[i] >= source.size()) {
      throw std::logic_error("parse_slow_log_ranges: range starts must ascend inside the input");
    }
  }
  RangeRunner runner(source, starts.size(), make_sink, options);
  for (size_t i = 0; i < starts.size(); ++i) {
    runner.start(starts[i], i + 1 < starts.size() ? starts[i + 1] : source.size());
  }
  return runner.finish();
}

ParallelParseResult read_slow_log_parallel(const ByteSource& source, unsigned threads,
                                           const RangeSinkFactory& make_sink,
                                           const SlowLogReadOptions& options) {
  const unsigned parts = std::max(threads, 1u);
  const uint64_t size = source.size();
  // The split points are those find_slow_log_split_points gives, found while the ranges
  // before them are already being parsed: a range reads up to the target of the next
  // split point (which that point is not before) before it waits for it.
  auto floor_after = [&](unsigned k, uint64_t begin) {
    return k + 1 < parts ? std::max(split_target(size, parts, k + 1), begin + 1) : size;
  };
  RangeRunner runner(source, parts, make_sink, options);
  runner.start(0, floor_after(0, 0));
  for (unsigned k = 1; k < parts; ++k) {
    const uint64_t target = std::max(split_target(size, parts, k), runner.last_start() + 1);
    if (target >= size) break;
    AnchoredCarry carry;
    auto p = find_split_from(source, target, size, options.parser, &carry);
    if (!p) break;  // none found in the rest of the input
    runner.start(*p, floor_after(k, *p), std::move(carry));
  }
  return runner.finish();
}

ParallelParseResult read_slow_log_parallel(const std::string& path, unsigned threads,
                                           const RangeSinkFactory& make_sink,
                                           const SlowLogReadOptions& options) {
  struct stat st {};
  const bool regular = path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (!regular || threads <= 1) {
    ParallelParseResult result;
    result.range_starts = {0};
    result.range_first_lines = {1};
    result.range_stats.push_back(read_slow_log(path, make_sink(0), options));
    result.total = result.range_stats[0];
    return result;
  }
  FileByteSource source(path);
  return read_slow_log_parallel(source, threads, make_sink, options);
}

}  // namespace slowscope
