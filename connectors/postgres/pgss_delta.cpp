#include "connectors/postgres/pgss_delta.h"

#include <algorithm>
#include <numeric>

namespace slowscope {
namespace {

constexpr double kMs = 1e-3;
constexpr double kMs2 = 1e-6;

// The sum of squares cannot be below total²/calls (Cauchy–Schwarz); subtracting two large
// cumulative sums may land a rounding error under it.
double clamp_sum_squares(double sum_sq, double total, int64_t calls) {
  if (calls <= 0) return std::max(sum_sq, 0.0);
  return std::max(sum_sq, total * total / static_cast<double>(calls));
}

bool moved(const Measures& m) {
  return m != Measures{};
}

}  // namespace

void normalize_entries(std::vector<PgssEntry>& entries) {
  // Sorts positions rather than the entries themselves (a few hundred bytes each), then
  // moves every entry once.
  std::vector<uint32_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return entries[a].key < entries[b].key; });
  std::vector<PgssEntry> sorted;
  sorted.reserve(entries.size());
  for (const uint32_t i : order) {
    if (sorted.empty() || sorted.back().key != entries[i].key) {
      sorted.push_back(std::move(entries[i]));
    }
  }
  entries = std::move(sorted);
}

std::string_view to_string(EpochBreak reason) {
  switch (reason) {
    case EpochBreak::kNone:
      return "none";
    case EpochBreak::kBaseline:
      return "baseline";
    case EpochBreak::kServerChanged:
      return "server identity changed";
    case EpochBreak::kStatsReset:
      return "pg_stat_statements was reset";
    case EpochBreak::kServerRestart:
      return "server restarted";
  }
  return "unknown";
}

bool counters_went_backwards(const PgssCounters& a, const PgssCounters& b) {
  return b.calls < a.calls || b.total_time_ms < a.total_time_ms || b.rows < a.rows ||
         b.shared_blks_hit < a.shared_blks_hit || b.shared_blks_read < a.shared_blks_read ||
         b.shared_blks_dirtied < a.shared_blks_dirtied ||
         b.shared_blks_written < a.shared_blks_written || b.local_blks_hit < a.local_blks_hit ||
         b.local_blks_read < a.local_blks_read || b.local_blks_dirtied < a.local_blks_dirtied ||
         b.local_blks_written < a.local_blks_written || b.temp_blks_read < a.temp_blks_read ||
         b.temp_blks_written < a.temp_blks_written || b.blk_read_time_ms < a.blk_read_time_ms ||
         b.blk_write_time_ms < a.blk_write_time_ms || b.wal_records < a.wal_records ||
         b.wal_fpi < a.wal_fpi || b.wal_bytes < a.wal_bytes;
}

Measures counters_delta(const PgssCounters& a, const PgssCounters& b) {
  Measures m;
  m.calls = b.calls - a.calls;
  m.total_time = (b.total_time_ms - a.total_time_ms) * kMs;
  m.sum_sq =
      clamp_sum_squares((b.sum_squares_ms2() - a.sum_squares_ms2()) * kMs2, m.total_time, m.calls);
  m.row_count = b.rows - a.rows;
  m.shared_blks_hit = b.shared_blks_hit - a.shared_blks_hit;
  m.shared_blks_read = b.shared_blks_read - a.shared_blks_read;
  m.shared_blks_dirtied = b.shared_blks_dirtied - a.shared_blks_dirtied;
  m.shared_blks_written = b.shared_blks_written - a.shared_blks_written;
  m.local_blks_hit = b.local_blks_hit - a.local_blks_hit;
  m.local_blks_read = b.local_blks_read - a.local_blks_read;
  m.local_blks_dirtied = b.local_blks_dirtied - a.local_blks_dirtied;
  m.local_blks_written = b.local_blks_written - a.local_blks_written;
  m.temp_blks_read = b.temp_blks_read - a.temp_blks_read;
  m.temp_blks_written = b.temp_blks_written - a.temp_blks_written;
  m.blk_read_time = (b.blk_read_time_ms - a.blk_read_time_ms) * kMs;
  m.blk_write_time = (b.blk_write_time_ms - a.blk_write_time_ms) * kMs;
  m.wal_records = b.wal_records - a.wal_records;
  m.wal_fpi = b.wal_fpi - a.wal_fpi;
  m.wal_bytes = b.wal_bytes - a.wal_bytes;
  // Cumulative min/max say nothing about one interval of an entry that existed before it.
  if (m.calls == b.calls) {
    m.min_time = b.min_time_ms * kMs;
    m.max_time = b.max_time_ms * kMs;
  }
  if (m.calls == 0) m.sum_sq = 0;
  return m;
}

Measures counters_whole(const PgssCounters& c) {
  Measures m = counters_delta(PgssCounters{}, c);
  if (c.calls > 0) {
    m.min_time = c.min_time_ms * kMs;
    m.max_time = c.max_time_ms * kMs;
  }
  return m;
}

IntervalDeltas compute_interval(const PgssSnapshot* previous, const PgssSnapshot& current) {
  IntervalDeltas result;
  if (previous == nullptr) {
    result.server_break = EpochBreak::kBaseline;
    return result;
  }
  if (previous->server != current.server) {
    result.server_break = EpochBreak::kServerChanged;
    return result;
  }
  if (previous->stats_reset_us != current.stats_reset_us) {
    result.server_break = EpochBreak::kStatsReset;
  } else if (previous->postmaster_start_us != current.postmaster_start_us) {
    result.server_break = EpochBreak::kServerRestart;
  }
  // After a reset dealloc counts from zero again: all of it is the interval's.
  if (current.dealloc) {
    const int64_t before = result.server_break == EpochBreak::kStatsReset || !previous->dealloc
                               ? 0
                               : *previous->dealloc;
    result.deallocated = std::max<int64_t>(0, *current.dealloc - before);
  }
  uint32_t interval_flags = 0;
  if (result.server_break != EpochBreak::kNone) interval_flags |= kSampleEpochBreak;
  if (result.deallocated > 0) interval_flags |= kSamplePartial;

  auto prev = previous->entries.begin();
  for (const PgssEntry& entry : current.entries) {
    while (prev != previous->entries.end() && prev->key < entry.key) ++prev;
    const bool known = prev != previous->entries.end() && prev->key == entry.key;
    EntryDelta delta{entry.key, {}, interval_flags};
    if (result.server_break == EpochBreak::kStatsReset || !known) {
      // Began within the interval (after the reset, or after the previous poll).
      delta.measures = counters_whole(entry.counters);
    } else if (entry.stats_since_us != prev->stats_since_us ||
               counters_went_backwards(prev->counters, entry.counters)) {
      delta.measures = counters_whole(entry.counters);
      delta.flags |= kSampleEpochBreak;
      ++result.entries_restarted;
    } else {
      delta.measures = counters_delta(prev->counters, entry.counters);
    }
    if (moved(delta.measures)) result.deltas.push_back(std::move(delta));
  }
  return result;
}

}  // namespace slowscope
