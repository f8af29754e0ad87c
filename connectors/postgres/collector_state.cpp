#include "connectors/postgres/collector_state.h"

#include <algorithm>

#include "connectors/common/checkpoint_codec.h"

namespace slowscope {
namespace {

// Bumped whenever the layout changes; an unknown version is treated as corrupt, which makes
// the collector start a new baseline rather than subtract garbage.
constexpr uint8_t kFormatVersion = 1;
constexpr char kMagic[4] = {'S', 'S', 'P', 'G'};

void write_key(CheckpointWriter& w, const StatementKey& k) {
  w.str(k.database);
  w.str(k.user);
  w.str(k.query_id);
  w.u64(k.toplevel ? 1 : 0);
}

StatementKey read_key(CheckpointReader& r) {
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
  CheckpointWriter w;
  w.raw(std::string_view(kMagic, 4));
  w.u64(kFormatVersion);
  const PgssSnapshot& s = state.snapshot;
  w.str(s.server.system_id);
  w.str(s.server.version);
  w.i64(s.collected_at_us);
  w.i64(s.postmaster_start_us);
  w.opt_i64(s.stats_reset_us);
  w.opt_i64(s.dealloc);
  w.i64(s.hidden_entries);
  w.i64(state.last_bucket_start);
  w.u64(state.own_keys.size());
  for (const auto& key : state.own_keys) write_key(w, key);
  w.u64(s.entries.size());
  for (const PgssEntry& e : s.entries) {
    write_key(w, e.key);
    w.opt_i64(e.stats_since_us);
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
  CheckpointReader r(bytes, "collector");
  if (r.take(4) != std::string_view(kMagic, 4)) r.fail("bad magic");
  if (r.u64() != kFormatVersion) r.fail("unknown format version");
  CollectorState state;
  PgssSnapshot& s = state.snapshot;
  s.server.system_id = r.str();
  s.server.version = r.str();
  s.collected_at_us = r.i64();
  s.postmaster_start_us = r.i64();
  s.stats_reset_us = r.opt_i64();
  s.dealloc = r.opt_i64();
  s.hidden_entries = r.i64();
  state.last_bucket_start = r.i64();
  const uint64_t own = r.u64();
  for (uint64_t i = 0; i < own; ++i) state.own_keys.push_back(read_key(r));
  const uint64_t n = r.u64();
  for (uint64_t i = 0; i < n; ++i) {
    PgssEntry e;
    e.key = read_key(r);
    e.stats_since_us = r.opt_i64();
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
  if (!r.done()) r.fail("trailing bytes");
  if (!std::is_sorted(state.own_keys.begin(), state.own_keys.end())) r.fail("own keys unsorted");
  return state;
}

}  // namespace slowscope
