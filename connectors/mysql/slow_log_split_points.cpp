#include "connectors/mysql/slow_log_split_points.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/slow_log_syntax.h"

namespace slowscope {

namespace sx = slow_log_syntax;
using slow_log_split::AnchoredCarry;

namespace {

constexpr size_t kContextBytes = size_t{64} << 10;  // how far back a split check may look
constexpr size_t kLineLookBytes = size_t{4} << 10;  // of a candidate line, what is read
constexpr size_t kScanBlock = size_t{1} << 20;
constexpr uint64_t kBackSearchBytes = uint64_t{4} << 20;  // how far back anchors are sought
constexpr uint64_t kProbeBytes = uint64_t{16} << 20;      // how far one anchor is followed
constexpr size_t kMaxAnchorTries = 8;

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

}  // namespace

namespace slow_log_split {

std::optional<uint64_t> find_split_from(const ByteSource& src, uint64_t from, uint64_t limit,
                                        const SlowLogParserOptions& options,
                                        AnchoredCarry* carry) {
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

}  // namespace slow_log_split

namespace {

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

}  // namespace

namespace slow_log_split {

SlowLogCarry search_carry(const ByteSource& src, uint64_t lo, uint64_t hi,
                          const SlowLogReadOptions& options, const AnchoredCarry* known) {
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

}  // namespace slow_log_split

std::optional<uint64_t> find_slow_log_split_point_from(const ByteSource& source, uint64_t from,
                                                       uint64_t limit,
                                                       const SlowLogParserOptions& options) {
  return slow_log_split::find_split_from(source, from, std::min(limit, source.size()), options);
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

}  // namespace slowscope
