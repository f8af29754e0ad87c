#include "connectors/postgres/pgss_delta.h"

#include <algorithm>
#include <numeric>

namespace slowscope {
namespace {

constexpr double kMs = 1e-3;
constexpr double kMs2 = 1e-6;

// Relative slack of comparisons between cumulative sums: the server adds doubles call by
// call (and derives Σx² from a running mean and variance), so a sum over n calls may be off
// by up to about n·2⁻⁵³ of its size. A restart that changes an entry's totals by less than
// this is not told apart; what it hides is as small.
constexpr double kSlack = 1e-6;
constexpr double kTimeFloorMs = 1e-6;  // 1 ns, for sums near zero

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

EntryRestart entry_restart(const PgssEntry& previous, const PgssEntry& current) {
  if (previous.stats_since_us != current.stats_since_us) return EntryRestart::kStatsSince;
  const PgssCounters& a = previous.counters;
  const PgssCounters& b = current.counters;
  const double sq_a = a.sum_squares_ms2();
  const double sq_b = b.sum_squares_ms2();
  if (counters_went_backwards(a, b) || sq_b < sq_a - kSlack * sq_a) return EntryRestart::kBackwards;
  // From 17 on stats_since tells a restart, and min/max may be reset on their own
  // (pg_stat_statements_reset(..., minmax_only => true)): the rules below would misread that.
  // An entry without a call, or whose extremes were never set, has nothing to compare.
  if (current.stats_since_us || b.calls == 0 || b.max_time_ms <= 0) return EntryRestart::kNone;
  // An entry's min only goes down and its max only up while it lives.
  if (a.calls > 0 && a.max_time_ms > 0 &&
      (b.min_time_ms > a.min_time_ms || b.max_time_ms < a.max_time_ms)) {
    return EntryRestart::kImpossible;
  }
  // Every call of the interval took between the entry's (current) min and max, so its total
  // time lies within calls·[min, max], and its Σx² within time·[min, max] and not below
  // time²/calls (Cauchy–Schwarz). A restarted entry's new counters minus the old ones
  // rarely fit.
  const double calls = static_cast<double>(b.calls - a.calls);
  const double time = b.total_time_ms - a.total_time_ms;
  const double sq = sq_b - sq_a;
  const double time_slack = kSlack * b.total_time_ms + kTimeFloorMs;
  const double sq_slack = kSlack * sq_b + kTimeFloorMs * kTimeFloorMs;
  if (time < calls * b.min_time_ms - time_slack || time > calls * b.max_time_ms + time_slack) {
    return EntryRestart::kImpossible;
  }
  if (calls > 0 && (sq < time * time / calls - sq_slack || sq < time * b.min_time_ms - sq_slack ||
                    sq > time * b.max_time_ms + sq_slack)) {
    return EntryRestart::kImpossible;
  }
  return EntryRestart::kNone;
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
  int64_t matched = 0;
  for (const PgssEntry& entry : current.entries) {
    while (prev != previous->entries.end() && prev->key < entry.key) ++prev;
    const bool known = prev != previous->entries.end() && prev->key == entry.key;
    if (known) ++matched;
    EntryDelta delta{entry.key, {}, interval_flags};
    if (result.server_break == EpochBreak::kStatsReset || !known) {
      // Began within the interval (after the reset, or after the previous poll).
      delta.measures = counters_whole(entry.counters);
    } else if (const EntryRestart why = entry_restart(*prev, entry); why != EntryRestart::kNone) {
      // Restarted since the previous poll: all it holds ran since; what ran before is lost.
      delta.measures = counters_whole(entry.counters);
      delta.flags |= kSampleEpochBreak;
      ++result.entries_restarted;
      if (why == EntryRestart::kBackwards) ++result.restarted_backwards;
      if (why == EntryRestart::kImpossible) ++result.restarted_impossible;
    } else {
      delta.measures = counters_delta(prev->counters, entry.counters);
    }
    if (moved(delta.measures)) result.deltas.push_back(std::move(delta));
  }
  // An entry leaves pg_stat_statements by a reset or an eviction, or leaves the collector's
  // view when its role's statements become hidden. dealloc counts eviction rounds (each
  // removes several entries), so only an interval without one tells resets apart.
  const int64_t vanished = static_cast<int64_t>(previous->entries.size()) - matched;
  if (result.server_break == EpochBreak::kNone && current.dealloc && previous->dealloc &&
      result.deallocated == 0 && current.hidden_entries <= previous->hidden_entries) {
    result.entries_vanished = vanished;
  }
  return result;
}

}  // namespace slowscope
