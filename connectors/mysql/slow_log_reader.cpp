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

#include "connectors/mysql/slow_log_syntax.h"

namespace slowscope {

namespace sx = slow_log_syntax;

namespace {

constexpr size_t kContextBytes = size_t{64} << 10;  // how far back a split check may look
constexpr size_t kLineLookBytes = size_t{4} << 10;  // of a candidate line, what is read
constexpr size_t kScanBlock = size_t{1} << 20;
constexpr uint64_t kBackSearchBytes = uint64_t{4} << 20;  // how far back anchors are sought
constexpr uint64_t kProbeBytes = uint64_t{16} << 20;      // how far one anchor is followed
constexpr size_t kMaxAnchorTries = 8;
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

std::string read_range(const ByteSource& src, uint64_t begin, uint64_t end) {
  std::string out;
  if (end <= begin) return out;
  out.resize(static_cast<size_t>(end - begin));
  size_t got = 0;
  while (got < out.size()) {
    size_t n = src.read_at(begin + got, out.data() + got, out.size() - got);
    if (n == 0) break;
    got += n;
  }
  out.resize(got);
  return out;
}

// Start of the line that ends (with '\n') at index `end` of `w`; nullopt when it begins
// before the window and the window does not start at the start of the input.
std::optional<size_t> line_start(std::string_view w, size_t end, bool at_input_start) {
  if (end > 0) {
    size_t p = w.rfind('\n', end - 1);
    if (p != std::string_view::npos) return p + 1;
  }
  if (at_input_start) return size_t{0};
  return std::nullopt;
}

std::string_view content(std::string_view w, size_t start, size_t end) {
  std::string_view s = w.substr(start, end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

// A line where a split point may be: a Time or User@Host header, wholly in the window,
// clean, and short enough not to be junk.
bool is_entry_head_at(std::string_view w, size_t pos, size_t max_line) {
  if (pos >= w.size() || w[pos] != '#') return false;
  size_t le = w.find('\n', pos);
  if (le == std::string_view::npos || le - pos >= max_line) return false;
  std::string_view line = content(w, pos, le);
  return (line.starts_with("# Time: ") || line.starts_with("# User@Host: ")) &&
         sx::is_resync_line(line) && !sx::is_binary(line);
}

// An anchor is a "# Time: " line A after a line ending in ';' that is not the first such
// line of its entry. There a sequential parse either starts a fresh entry, or (when the
// entry before had no statement) restarts A's entry as pt does after "/* No query */";
// it cannot be inside an entry, as pt glues entries only at an entry's first ";\n".
bool is_anchor_at(std::string_view w, bool at_input_start, size_t pos) {
  if (pos == 0 || pos >= w.size() || w[pos - 1] != '\n') return false;
  if (!w.substr(pos).starts_with("# Time: ")) return false;
  size_t le = w.find('\n', pos);
  if (le == std::string_view::npos) return false;
  std::string_view line = content(w, pos, le);
  if (!sx::is_resync_line(line) || sx::is_binary(line)) return false;
  auto ls = line_start(w, pos - 1, at_input_start);
  if (!ls) return false;
  std::string_view before = content(w, *ls, pos - 1);
  if (!sx::ends_with_semicolon(before) || sx::is_startup_header(before) || sx::is_binary(before)) {
    return false;
  }
  size_t cur = *ls;
  while (cur > 0) {
    const size_t m_end = cur - 1;
    auto ms = line_start(w, m_end, at_input_start);
    if (!ms) return false;
    std::string_view m = content(w, *ms, m_end);
    if (sx::is_startup_header(m) || sx::is_binary(m)) return false;
    if (sx::ends_with_semicolon(m)) return w[m_end + 1] != '#';
    cur = *ms;
  }
  return false;
}

struct Anchor {
  uint64_t offset = 0;
  bool exact = false;  // the start of input or a known split point: one possible state
};

// What a sequential parse carries out of [anchor, to), `to` being a split point, as far
// as every state possible at the anchor agrees: a value they disagree on is left unset
// in `agreed`, and so is one none of them set.
struct AnchoredCarry {
  SlowLogCarry agreed;
  bool ts_known = false;  // all states agree on whether and which ts is set
  bool db_known = false;
};

// The parses a sequential reader may be in at `anchor`: a plain start, and, unless the
// anchor is exact, a start right after a "/* No query */" entry. Probes feed both alike.
class AnchorParses {
 public:
  AnchorParses(const Anchor& anchor, const SlowLogParserOptions& options)
      : plain_(noop, quiet(options)) {
    plain_.start_at(anchor.offset, 1, SlowLogCarry{});
    if (!anchor.exact) {
      restarted_.emplace(noop, quiet(options));
      restarted_->start_at(anchor.offset, 1, SlowLogCarry{}, true);
    }
  }
  void feed(std::string_view bytes) {
    plain_.feed(bytes);
    if (restarted_) restarted_->feed(bytes);
  }
  bool all_fresh() const {
    return plain_.at_fresh_entry_start() && (!restarted_ || restarted_->at_fresh_entry_start());
  }
  // At a split point (everything fed so far ends there): what the parses carry on, as
  // far as they agree. Ends the parses.
  AnchoredCarry agreed_carry() {
    plain_.finish_range();
    const SlowLogCarry& a = plain_.carry();
    SlowLogCarry other;
    if (restarted_) {
      restarted_->finish_range();
      other = restarted_->carry();
    } else {
      other = a;
    }
    AnchoredCarry out;
    out.ts_known = a.has_ts == other.has_ts && a.ts_us == other.ts_us;
    out.db_known = a.has_db == other.has_db && a.db == other.db;
    if (out.ts_known && a.has_ts) {
      out.agreed.has_ts = true;
      out.agreed.ts_us = a.ts_us;
    }
    if (out.db_known && a.has_db) {
      out.agreed.has_db = true;
      out.agreed.db = a.db;
    }
    return out;
  }

 private:
  static void noop(const QueryEvent&) {}
  static SlowLogParserOptions quiet(SlowLogParserOptions options) {
    options.on_progress = nullptr;
    return options;
  }

  SlowLogParser plain_;
  std::optional<SlowLogParser> restarted_;
};

// Simulates a sequential parse from `anchor` in every state it may be in there, and
// returns the first entry head in [accept_from, limit) where all of them start a fresh
// entry: a split point. With `carry`, also what the parses carry on from there.
std::optional<uint64_t> probe_from(const ByteSource& src, const Anchor& anchor,
                                   uint64_t accept_from, uint64_t limit,
                                   const SlowLogParserOptions& options,
                                   AnchoredCarry* carry = nullptr) {
  AnchorParses parses(anchor, options);
  auto feed = [&](std::string_view bytes) { parses.feed(bytes); };
  const size_t max_line = std::min(kLineLookBytes, options.max_statement_bytes);
  const uint64_t end = std::min({limit, src.size(), anchor.offset + kProbeBytes});
  uint64_t fed = anchor.offset;
  while (fed < end) {
    // One byte of overlap so that a line starting right at `fed` is seen as one.
    const uint64_t base = fed > anchor.offset ? fed - 1 : fed;
    const uint64_t block_end = std::min(end, fed + kScanBlock);
    const std::string w = read_range(src, base, std::min(src.size(), block_end + kLineLookBytes));
    size_t done = static_cast<size_t>(fed - base);
    for (size_t nl = w.find("\n#", done == 0 ? 0 : done - 1); nl != std::string::npos;
         nl = w.find("\n#", nl + 1)) {
      const uint64_t q = base + nl + 1;
      if (q >= block_end) break;
      if (q < accept_from || q <= anchor.offset || !is_entry_head_at(w, nl + 1, max_line)) continue;
      feed(std::string_view(w).substr(done, nl + 1 - done));
      done = nl + 1;
      if (parses.all_fresh()) {
        if (carry) *carry = parses.agreed_carry();
        return q;
      }
    }
    const size_t stop = static_cast<size_t>(block_end - base);
    if (stop > done) feed(std::string_view(w).substr(done, stop - done));
    fed = block_end;
  }
  return std::nullopt;
}

// Anchors after `from` (ascending), at most `count`, looking no further than `limit`.
std::vector<Anchor> anchors_from(const ByteSource& src, uint64_t from, uint64_t limit,
                                 size_t count) {
  std::vector<Anchor> out;
  limit = std::min(limit, src.size());
  for (uint64_t pos = from; pos < limit && out.size() < count;) {
    const uint64_t begin = pos > kContextBytes ? pos - kContextBytes : 0;
    const uint64_t scan_end = std::min(limit, pos + kScanBlock);
    const std::string w = read_range(src, begin, std::min(src.size(), scan_end + kLineLookBytes));
    const size_t start = static_cast<size_t>(pos - begin);
    for (size_t nl = w.find("\n# Time: ", start == 0 ? 0 : start - 1); nl != std::string::npos;
         nl = w.find("\n# Time: ", nl + 1)) {
      if (begin + nl + 1 >= scan_end) break;
      if (begin + nl + 1 >= pos && is_anchor_at(w, begin == 0, nl + 1)) {
        out.push_back(Anchor{begin + nl + 1, false});
        if (out.size() == count) break;
      }
    }
    pos = scan_end;
  }
  return out;
}

// Anchors at or before `at` and after `floor` (descending), at most `count`, looking
// back no more than kBackSearchBytes, one block at a time.
std::vector<Anchor> anchors_before(const ByteSource& src, uint64_t at, uint64_t floor,
                                   size_t count) {
  std::vector<Anchor> out;
  const uint64_t low = at > floor + kBackSearchBytes ? at - kBackSearchBytes : floor;
  uint64_t hi = at;  // candidates q with block_low < q <= hi
  while (out.size() < count && hi > low) {
    const uint64_t block_low = hi - low > kScanBlock ? hi - kScanBlock : low;
    const uint64_t begin = block_low > kContextBytes ? block_low - kContextBytes : 0;
    const std::string w = read_range(src, begin, std::min(src.size(), hi + kLineLookBytes));
    size_t from = static_cast<size_t>(hi - begin);
    while (out.size() < count && from > 0) {
      size_t nl = w.rfind("\n# Time: ", from - 1);
      if (nl == std::string::npos || begin + nl + 1 <= block_low) break;
      if (is_anchor_at(w, begin == 0, nl + 1)) out.push_back(Anchor{begin + nl + 1, false});
      from = nl;
    }
    hi = block_low;
  }
  return out;
}

// The first split point in [from, limit), if one is found with reasonable effort. With
// `carry`, also what a sequential parse carries on from there, as far as the probe that
// found it tells (it simulated the parse up to it).
std::optional<uint64_t> find_split_from(const ByteSource& src, uint64_t from, uint64_t limit,
                                        const SlowLogParserOptions& options,
                                        AnchoredCarry* carry = nullptr) {
  if (from >= limit) return std::nullopt;
  // Anchors a little before `from` give the nearest split point.
  std::vector<Anchor> anchors = anchors_before(src, from, 0, 1);
  if (from <= kBackSearchBytes) anchors.push_back(Anchor{0, true});
  for (const Anchor& a : anchors) {
    if (auto p = probe_from(src, a, from, limit, options, carry)) return p;
  }
  for (const Anchor& a : anchors_from(src, from, limit, kMaxAnchorTries)) {
    if (auto p = probe_from(src, a, from, limit, options, carry)) return p;
  }
  return std::nullopt;
}

// A split point in (lo, at], else `lo` (itself a split point or the start of input).
uint64_t find_split_at_or_before(const ByteSource& src, uint64_t at, uint64_t lo,
                                 const SlowLogParserOptions& options) {
  for (const Anchor& a : anchors_before(src, at, lo, kMaxAnchorTries)) {
    if (auto p = probe_from(src, a, a.offset + 1, at + 1, options)) return *p;
  }
  return lo;
}

// A split point in (after, hi), else `hi`. `lo` is a split point at or before `after`.
uint64_t find_split_after(const ByteSource& src, uint64_t after, uint64_t lo, uint64_t hi,
                          const SlowLogParserOptions& options) {
  std::vector<Anchor> anchors = anchors_before(src, after, lo, 1);
  anchors.push_back(Anchor{lo, true});
  for (const Anchor& a : anchors) {
    if (auto p = probe_from(src, a, after + 1, hi, options)) return *p;
  }
  return hi;
}

// Where the last `needle` in [lo, hi) starts.
std::optional<uint64_t> find_last(const ByteSource& src, uint64_t lo, uint64_t hi,
                                  std::string_view needle) {
  uint64_t end = hi;
  while (end > lo && end - lo >= needle.size()) {
    const uint64_t begin = end - lo > kScanBlock ? end - kScanBlock : lo;
    const std::string w = read_range(src, begin, end);
    size_t last = std::string::npos;
    for (size_t p = w.find(needle); p != std::string::npos; p = w.find(needle, p + 1)) last = p;
    if (last != std::string::npos) return begin + last;
    if (begin == lo) break;
    end = begin + needle.size() - 1;  // an occurrence may straddle the blocks
  }
  return std::nullopt;
}

// Start of the line holding offset `at` (not before `lo`).
uint64_t line_start_of(const ByteSource& src, uint64_t at, uint64_t lo) {
  uint64_t end = at;
  while (end > lo) {
    const uint64_t begin = end - lo > kScanBlock ? end - kScanBlock : lo;
    const std::string w = read_range(src, begin, end);
    size_t p = w.rfind('\n');
    if (p != std::string::npos) return begin + p + 1;
    end = begin;
  }
  return lo;
}

uint64_t count_newlines(const ByteSource& src, uint64_t begin, uint64_t end) {
  uint64_t n = 0;
  const auto block = std::make_unique_for_overwrite<char[]>(kScanBlock);
  for (uint64_t pos = begin; pos < end;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kScanBlock, end - pos));
    const size_t got = src.read_at(pos, block.get(), want);
    if (got == 0) break;
    n += sx::count_newlines(block.get(), got);
    pos += got;
  }
  return n;
}

// Feeds [begin, end) of `src` to `parser` through its own buffer.
void feed_range(const ByteSource& src, uint64_t begin, uint64_t end, SlowLogParser& parser,
                size_t block) {
  for (uint64_t pos = begin; pos < end;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(block, end - pos));
    std::span<char> area = parser.write_area(want);
    const size_t n = src.read_at(pos, area.data(), want);
    if (n == 0) break;
    parser.commit(n);
    pos += n;
  }
}

// What the entries in [from, to) (both split points) leave for the next entry to inherit,
// counting only values they set themselves.
SlowLogCarry carry_of(const ByteSource& src, uint64_t from, uint64_t to,
                      const SlowLogReadOptions& options) {
  SlowLogParserOptions quiet = options.parser;
  quiet.on_progress = nullptr;
  SlowLogParser parser([](const QueryEvent&) {}, quiet);
  parser.start_at(from, 1, SlowLogCarry{});
  feed_range(src, from, to, parser, options.block_bytes);
  parser.finish_range();
  return parser.carry();
}

// The last anchor in [lo, hi), however far back.
std::optional<Anchor> last_anchor_before(const ByteSource& src, uint64_t lo, uint64_t hi) {
  constexpr std::string_view kTag = "\n# Time: ";
  uint64_t top = hi;
  while (auto nl = find_last(src, lo, top, kTag)) {
    const uint64_t pos = *nl + 1;
    const uint64_t begin = pos > kContextBytes ? pos - kContextBytes : 0;
    const std::string w = read_range(src, begin, std::min(src.size(), pos + kLineLookBytes));
    if (pos < hi && is_anchor_at(w, begin == 0, static_cast<size_t>(pos - begin))) {
      return Anchor{pos, false};
    }
    top = *nl + kTag.size() - 1;  // earlier occurrences only
  }
  return std::nullopt;
}

AnchoredCarry carry_from_anchor(const ByteSource& src, const Anchor& anchor, uint64_t to,
                                const SlowLogReadOptions& options) {
  AnchorParses parses(anchor, options.parser);
  const auto block = std::make_unique_for_overwrite<char[]>(kScanBlock);
  for (uint64_t pos = anchor.offset; pos < to;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kScanBlock, to - pos));
    const size_t got = src.read_at(pos, block.get(), want);
    if (got == 0) break;
    parses.feed(std::string_view(block.get(), got));
    pos += got;
  }
  return parses.agreed_carry();
}

// The inheritable values set by entries in [lo, hi), searching backwards from hi.
// `want_ts` / `want_db` select the value; the result has has_ts / has_db set when found.
SlowLogCarry search_carry_back(const ByteSource& src, uint64_t lo, uint64_t hi, bool want_ts,
                               const SlowLogReadOptions& options) {
  SlowLogCarry found;
  uint64_t top = hi;
  while (top > lo) {
    // Every line that can set the value holds one of these.
    std::optional<uint64_t> hit;
    if (want_ts) {
      if (auto p = find_last(src, lo, top, "Time: ")) hit = line_start_of(src, *p, lo);
    } else {
      auto use = find_last(src, lo, top, "\nuse ");
      auto schema = find_last(src, lo, top, "Schema:");
      if (use) hit = *use + 1;
      if (schema) {
        uint64_t s = line_start_of(src, *schema, lo);
        if (!hit || s > *hit) hit = s;
      }
    }
    if (!hit) break;
    const uint64_t from = find_split_at_or_before(src, *hit, lo, options.parser);
    const uint64_t to = find_split_after(src, *hit, from, top, options.parser);
    SlowLogCarry part = carry_of(src, from, to, options);
    if (want_ts && part.has_ts) {
      found.has_ts = true;
      found.ts_us = part.ts_us;
      break;
    }
    if (!want_ts && part.has_db) {
      found.has_db = true;
      found.db = std::move(part.db);
      break;
    }
    top = from;
  }
  return found;
}

// The inheritable values set by entries in [lo, hi) (both split points), each with has_ts
// / has_db set when found. First from `known` (what the search that found hi learnt on
// the way), else from the last anchor before hi, which costs a parse of the entries
// after it; what that leaves open is searched for backwards from hi, which can mean
// parsing much of [lo, hi) when no split point is near the value. A value `known` has
// from before lo is still the one a sequential parse has at hi.
SlowLogCarry search_carry(const ByteSource& src, uint64_t lo, uint64_t hi,
                          const SlowLogReadOptions& options,
                          const AnchoredCarry* known = nullptr) {
  SlowLogCarry found;
  bool ts_done = false;
  bool db_done = false;
  std::optional<AnchoredCarry> from_anchor;
  if (known) {
    from_anchor = *known;
  } else if (auto anchor = last_anchor_before(src, lo, hi)) {
    from_anchor = carry_from_anchor(src, *anchor, hi, options);
  }
  if (from_anchor) {
    AnchoredCarry& part = *from_anchor;
    if (part.ts_known && part.agreed.has_ts) {
      found.has_ts = true;
      found.ts_us = part.agreed.ts_us;
      ts_done = true;
    }
    if (part.db_known && part.agreed.has_db) {
      found.has_db = true;
      found.db = std::move(part.agreed.db);
      db_done = true;
    }
  }
  if (!ts_done) {
    SlowLogCarry ts = search_carry_back(src, lo, hi, true, options);
    found.has_ts = ts.has_ts;
    found.ts_us = ts.ts_us;
  }
  if (!db_done) {
    SlowLogCarry db = search_carry_back(src, lo, hi, false, options);
    found.has_db = db.has_db;
    found.db = std::move(db.db);
  }
  return found;
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

std::optional<uint64_t> find_slow_log_split_point_from(const ByteSource& source, uint64_t from,
                                                       uint64_t limit,
                                                       const SlowLogParserOptions& options) {
  return find_split_from(source, from, std::min(limit, source.size()), options);
}

bool is_slow_log_split_point(const ByteSource& source, uint64_t offset,
                             const SlowLogParserOptions& options) {
  if (offset == 0 || offset >= source.size()) return false;
  const std::string head =
      read_range(source, offset - 1, std::min(source.size(), offset + kLineLookBytes));
  if (head[0] != '\n' ||
      !is_entry_head_at(head, 1, std::min(kLineLookBytes, options.max_statement_bytes))) {
    return false;
  }
  std::vector<Anchor> anchors = anchors_before(source, offset - 1, 0, kMaxAnchorTries);
  if (offset <= kBackSearchBytes) anchors.push_back(Anchor{0, true});
  for (const Anchor& a : anchors) {
    auto p = probe_from(source, a, offset, offset + 1, options);
    if (p && *p == offset) return true;
  }
  return false;
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
    throw std::invalid_argument("parse_slow_log_ranges: the first range must start at 0");
  }
  for (size_t i = 1; i < starts.size(); ++i) {
    if (starts[i] <= starts[i - 1] || starts[i] >= source.size()) {
      throw std::invalid_argument(
          "parse_slow_log_ranges: range starts must ascend inside the input");
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
