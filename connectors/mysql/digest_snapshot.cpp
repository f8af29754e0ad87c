#include "connectors/mysql/digest_snapshot.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "connectors/common/checkpoint_codec.h"

namespace slowscope {
namespace {

// Bumped whenever the layout changes; an unknown version is corrupt, which makes the
// collector start a new baseline rather than subtract garbage.
constexpr uint8_t kFormatVersion = 1;
constexpr std::string_view kMagic = "SSMD";

void write_counters(CheckpointWriter& w, const DigestCounters& c) {
  w.i64(c.count_star);
  w.u64(c.sum_timer_wait);
  w.u64(c.min_timer_wait);
  w.u64(c.max_timer_wait);
  w.u64(c.sum_lock_time);
  w.i64(c.sum_rows_sent);
  w.i64(c.sum_rows_examined);
  w.i64(c.sum_rows_affected);
  w.opt_u64(c.quantile_95);
  w.opt_u64(c.quantile_99);
}

DigestCounters read_counters(CheckpointReader& r) {
  DigestCounters c;
  c.count_star = r.i64();
  c.sum_timer_wait = r.u64();
  c.min_timer_wait = r.u64();
  c.max_timer_wait = r.u64();
  c.sum_lock_time = r.u64();
  c.sum_rows_sent = r.i64();
  c.sum_rows_examined = r.i64();
  c.sum_rows_affected = r.i64();
  c.quantile_95 = r.opt_u64();
  c.quantile_99 = r.opt_u64();
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
  CheckpointWriter w;
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
  CheckpointReader r(bytes, "digest");
  if (r.take(kMagic.size()) != kMagic) r.fail("not a digest snapshot");
  if (r.u64() != kFormatVersion) r.fail("unknown format version");
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
  if (n > bytes.size()) r.fail("entry count larger than the blob");
  s.entries.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    DigestEntry e;
    e.schema = r.str();
    e.digest = r.str();
    e.first_seen_us = r.i64();
    e.last_seen_us = r.i64();
    e.counters = read_counters(r);
    if (!s.entries.empty() && !key_less(s.entries.back(), e)) r.fail("entries out of order");
    s.entries.push_back(std::move(e));
  }
  if (!r.done()) r.fail("trailing bytes");
  return s;
}

}  // namespace slowscope
