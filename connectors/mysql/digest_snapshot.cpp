#include "connectors/mysql/digest_snapshot.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace slowscope {
namespace {

// Bumped whenever the layout changes; an unknown version is corrupt, which makes the
// collector start a new baseline rather than subtract garbage.
constexpr uint8_t kFormatVersion = 1;
constexpr std::string_view kMagic = "SSMD";

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
  void str(std::string_view s) {
    u64(s.size());
    out_ += s;
  }
  void opt(const std::optional<uint64_t>& v) {
    out_ += static_cast<char>(v ? 1 : 0);
    if (v) u64(*v);
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
  std::string str() {
    const uint64_t n = u64();
    if (n > in_.size()) fail("string longer than the blob");
    return std::string(take(n));
  }
  std::optional<uint64_t> opt() {
    const char flag = take(1)[0];
    if (flag == 0) return std::nullopt;
    if (flag != 1) fail("bad optional");
    return u64();
  }
  std::string_view take(size_t n) {
    if (in_.size() < n) fail("truncated");
    const std::string_view part = in_.substr(0, n);
    in_.remove_prefix(n);
    return part;
  }
  bool done() const { return in_.empty(); }
  [[noreturn]] static void fail(const std::string& why) {
    throw std::runtime_error("digest checkpoint is corrupt: " + why);
  }

 private:
  std::string_view in_;
};

void write_counters(Writer& w, const DigestCounters& c) {
  w.i64(c.count_star);
  w.u64(c.sum_timer_wait);
  w.u64(c.min_timer_wait);
  w.u64(c.max_timer_wait);
  w.u64(c.sum_lock_time);
  w.i64(c.sum_rows_sent);
  w.i64(c.sum_rows_examined);
  w.i64(c.sum_rows_affected);
  w.opt(c.quantile_95);
  w.opt(c.quantile_99);
}

DigestCounters read_counters(Reader& r) {
  DigestCounters c;
  c.count_star = r.i64();
  c.sum_timer_wait = r.u64();
  c.min_timer_wait = r.u64();
  c.max_timer_wait = r.u64();
  c.sum_lock_time = r.u64();
  c.sum_rows_sent = r.i64();
  c.sum_rows_examined = r.i64();
  c.sum_rows_affected = r.i64();
  c.quantile_95 = r.opt();
  c.quantile_99 = r.opt();
  return c;
}

bool key_less(const DigestEntry& a, const DigestEntry& b) {
  return std::tie(a.schema, a.digest) < std::tie(b.schema, b.digest);
}

}  // namespace

void normalize_digest_entries(std::vector<DigestEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), key_less);
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const DigestEntry& a, const DigestEntry& b) {
                              return a.schema == b.schema && a.digest == b.digest;
                            }),
                entries.end());
}

std::string encode_digest_snapshot(const DigestSnapshot& s) {
  Writer w;
  w.raw(kMagic);
  w.u64(kFormatVersion);
  w.str(s.server.system_id);
  w.str(s.server.version);
  w.i64(s.collected_at_us);
  w.i64(s.uptime_s);
  w.u64(s.digests_enabled ? 1 : 0);
  w.i64(s.digests_size);
  w.i64(s.own_entries);
  w.u64(s.undigested ? 1 : 0);
  if (s.undigested) write_counters(w, *s.undigested);
  w.u64(s.entries.size());
  for (const DigestEntry& e : s.entries) {
    w.str(e.schema);
    w.str(e.digest);
    w.i64(e.first_seen_us);
    w.i64(e.last_seen_us);
    write_counters(w, e.counters);
  }
  return w.take();
}

DigestSnapshot decode_digest_snapshot(std::string_view bytes) {
  Reader r(bytes);
  if (r.take(kMagic.size()) != kMagic) Reader::fail("not a digest snapshot");
  if (r.u64() != kFormatVersion) Reader::fail("unknown format version");
  DigestSnapshot s;
  s.server.system_id = r.str();
  s.server.version = r.str();
  s.collected_at_us = r.i64();
  s.uptime_s = r.i64();
  s.digests_enabled = r.u64() != 0;
  s.digests_size = r.i64();
  s.own_entries = r.i64();
  if (r.u64() != 0) s.undigested = read_counters(r);
  const uint64_t n = r.u64();
  if (n > bytes.size()) Reader::fail("entry count larger than the blob");
  s.entries.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    DigestEntry e;
    e.schema = r.str();
    e.digest = r.str();
    e.first_seen_us = r.i64();
    e.last_seen_us = r.i64();
    e.counters = read_counters(r);
    if (!s.entries.empty() && !key_less(s.entries.back(), e)) Reader::fail("entries out of order");
    s.entries.push_back(std::move(e));
  }
  if (!r.done()) Reader::fail("trailing bytes");
  return s;
}

}  // namespace slowscope
