#include "connectors/postgres/collector_state.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace slowscope {
namespace {

// Bumped whenever the layout changes; an unknown version is treated as corrupt, which makes
// the collector start a new baseline rather than subtract garbage.
constexpr uint8_t kFormatVersion = 1;
constexpr char kMagic[4] = {'S', 'S', 'P', 'G'};

class Writer {
 public:
  void u64(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  // Zigzag, so that small negative numbers stay small.
  void i64(int64_t v) { u64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void f64(double v) {
    uint64_t bits = std::bit_cast<uint64_t>(v);
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  void str(std::string_view s) {
    u64(s.size());
    out_ += s;
  }
  void opt(const std::optional<int64_t>& v) {
    out_ += static_cast<char>(v ? 1 : 0);
    if (v) i64(*v);
  }
  void raw(std::string_view s) { out_ += s; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  uint64_t u64() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto byte = static_cast<uint8_t>(take(1)[0]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    fail("varint too long");
  }
  int64_t i64() {
    const uint64_t z = u64();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  double f64() {
    const std::string_view b = take(8);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
      bits |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
    return std::bit_cast<double>(bits);
  }
  std::string str() {
    const uint64_t n = u64();
    if (n > in_.size()) fail("string longer than the blob");
    return std::string(take(n));
  }
  std::optional<int64_t> opt() {
    if (take(1)[0] == 0) return std::nullopt;
    return i64();
  }
  std::string_view take(size_t n) {
    if (in_.size() < n) fail("truncated");
    const std::string_view part = in_.substr(0, n);
    in_.remove_prefix(n);
    return part;
  }
  bool done() const { return in_.empty(); }
  [[noreturn]] static void fail(const std::string& why) {
    throw std::runtime_error("collector checkpoint is corrupt: " + why);
  }

 private:
  std::string_view in_;
};

void write_key(Writer& w, const StatementKey& k) {
  w.str(k.database);
  w.str(k.user);
  w.str(k.query_id);
  w.u64(k.toplevel ? 1 : 0);
}

StatementKey read_key(Reader& r) {
  StatementKey k;
  k.database = r.str();
  k.user = r.str();
  k.query_id = r.str();
  k.toplevel = r.u64() != 0;
  return k;
}

}  // namespace

bool CollectorState::is_own(const StatementKey& key) const {
  return std::binary_search(own_keys.begin(), own_keys.end(), key);
}

std::string encode_state(const CollectorState& state) {
  Writer w;
  w.raw(std::string_view(kMagic, 4));
  w.u64(kFormatVersion);
  const PgssSnapshot& s = state.snapshot;
  w.str(s.server.system_id);
  w.str(s.server.version);
  w.i64(s.collected_at_us);
  w.i64(s.postmaster_start_us);
  w.opt(s.stats_reset_us);
  w.opt(s.dealloc);
  w.i64(s.hidden_entries);
  w.i64(state.last_bucket_start);
  w.u64(state.own_keys.size());
  for (const auto& key : state.own_keys) write_key(w, key);
  w.u64(s.entries.size());
  for (const PgssEntry& e : s.entries) {
    write_key(w, e.key);
    w.opt(e.stats_since_us);
    const PgssCounters& c = e.counters;
    w.i64(c.calls);
    w.f64(c.total_time_ms);
    w.f64(c.mean_time_ms);
    w.f64(c.stddev_time_ms);
    w.f64(c.min_time_ms);
    w.f64(c.max_time_ms);
    for (int64_t v :
         {c.rows, c.shared_blks_hit, c.shared_blks_read, c.shared_blks_dirtied,
          c.shared_blks_written, c.local_blks_hit, c.local_blks_read, c.local_blks_dirtied,
          c.local_blks_written, c.temp_blks_read, c.temp_blks_written}) {
      w.i64(v);
    }
    w.f64(c.blk_read_time_ms);
    w.f64(c.blk_write_time_ms);
    w.i64(c.wal_records);
    w.i64(c.wal_fpi);
    w.i64(c.wal_bytes);
  }
  return w.take();
}

CollectorState decode_state(std::string_view bytes) {
  Reader r(bytes);
  if (r.take(4) != std::string_view(kMagic, 4)) Reader::fail("bad magic");
  if (r.u64() != kFormatVersion) Reader::fail("unknown format version");
  CollectorState state;
  PgssSnapshot& s = state.snapshot;
  s.server.system_id = r.str();
  s.server.version = r.str();
  s.collected_at_us = r.i64();
  s.postmaster_start_us = r.i64();
  s.stats_reset_us = r.opt();
  s.dealloc = r.opt();
  s.hidden_entries = r.i64();
  state.last_bucket_start = r.i64();
  const uint64_t own = r.u64();
  for (uint64_t i = 0; i < own; ++i) state.own_keys.push_back(read_key(r));
  const uint64_t n = r.u64();
  for (uint64_t i = 0; i < n; ++i) {
    PgssEntry e;
    e.key = read_key(r);
    e.stats_since_us = r.opt();
    PgssCounters& c = e.counters;
    c.calls = r.i64();
    c.total_time_ms = r.f64();
    c.mean_time_ms = r.f64();
    c.stddev_time_ms = r.f64();
    c.min_time_ms = r.f64();
    c.max_time_ms = r.f64();
    for (int64_t* v :
         {&c.rows, &c.shared_blks_hit, &c.shared_blks_read, &c.shared_blks_dirtied,
          &c.shared_blks_written, &c.local_blks_hit, &c.local_blks_read, &c.local_blks_dirtied,
          &c.local_blks_written, &c.temp_blks_read, &c.temp_blks_written}) {
      *v = r.i64();
    }
    c.blk_read_time_ms = r.f64();
    c.blk_write_time_ms = r.f64();
    c.wal_records = r.i64();
    c.wal_fpi = r.i64();
    c.wal_bytes = r.i64();
    s.entries.push_back(std::move(e));
  }
  if (!r.done()) Reader::fail("trailing bytes");
  if (!std::is_sorted(state.own_keys.begin(), state.own_keys.end()))
    Reader::fail("own keys unsorted");
  return state;
}

}  // namespace slowscope
