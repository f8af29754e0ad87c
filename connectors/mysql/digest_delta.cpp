#include "connectors/mysql/digest_delta.h"

#include <algorithm>
#include <tuple>

namespace slowscope {
namespace {

constexpr double kPicoseconds = 1e-12;
// The start time implied by clock and whole-second uptime wanders by less than this
// without a restart.
constexpr int64_t kStartJitterUs = 1000000;

double seconds(uint64_t ps) {
  return static_cast<double>(ps) * kPicoseconds;
}

bool key_less(const DigestEntry& a, const DigestEntry& b) {
  return std::tie(a.schema, a.digest) < std::tie(b.schema, b.digest);
}

bool same_key(const DigestEntry& a, const DigestEntry& b) {
  return a.schema == b.schema && a.digest == b.digest;
}

bool moved(const DigestDelta& d) {
  return d.calls != 0 || d.total_time != 0 || d.lock_time != 0 || d.rows_sent != 0 ||
         d.rows_examined != 0 || d.rows_affected != 0;
}

// Statements the NULL-digest row counted in the interval.
int64_t undigested_calls(const DigestSnapshot& previous, const DigestSnapshot& current) {
  if (!current.undigested) return 0;
  const int64_t now = current.undigested->count_star;
  if (!previous.undigested || now < previous.undigested->count_star) return now;
  return now - previous.undigested->count_star;
}

}  // namespace

std::string_view to_string(DigestBreak reason) {
  switch (reason) {
    case DigestBreak::kNone:
      return "none";
    case DigestBreak::kBaseline:
      return "baseline";
    case DigestBreak::kServerChanged:
      return "server identity or version changed";
    case DigestBreak::kServerRestart:
      return "server restarted";
    case DigestBreak::kTruncated:
      return "digest table was truncated";
  }
  return "unknown";
}

bool digest_counters_went_backwards(const DigestCounters& a, const DigestCounters& b) {
  return b.count_star < a.count_star || b.sum_timer_wait < a.sum_timer_wait ||
         b.sum_lock_time < a.sum_lock_time || b.sum_rows_sent < a.sum_rows_sent ||
         b.sum_rows_examined < a.sum_rows_examined || b.sum_rows_affected < a.sum_rows_affected;
}

DigestDelta digest_counters_delta(const DigestEntry& entry, const DigestCounters& a) {
  const DigestCounters& b = entry.counters;
  DigestDelta d;
  d.schema = entry.schema;
  d.digest = entry.digest;
  d.digest_text = entry.digest_text;
  d.calls = b.count_star - a.count_star;
  d.total_time = seconds(b.sum_timer_wait - a.sum_timer_wait);
  d.lock_time = seconds(b.sum_lock_time - a.sum_lock_time);
  d.rows_sent = b.sum_rows_sent - a.sum_rows_sent;
  d.rows_examined = b.sum_rows_examined - a.sum_rows_examined;
  d.rows_affected = b.sum_rows_affected - a.sum_rows_affected;
  // Cumulative min/max/quantiles say nothing about one interval of an older entry.
  if (d.calls > 0 && d.calls == b.count_star) {
    d.min_time = seconds(b.min_timer_wait);
    d.max_time = seconds(b.max_timer_wait);
    if (b.quantile_95) d.p95 = seconds(*b.quantile_95);
    if (b.quantile_99) d.p99 = seconds(*b.quantile_99);
  }
  return d;
}

DigestInterval compute_digest_interval(const DigestSnapshot* previous,
                                       const DigestSnapshot& current) {
  DigestInterval result;
  if (previous == nullptr) {
    result.server_break = DigestBreak::kBaseline;
    return result;
  }
  if (previous->server != current.server) {
    result.server_break = DigestBreak::kServerChanged;
    return result;
  }
  const int64_t start_moved = current.started_at_us() - previous->started_at_us();
  const bool restarted = current.uptime_s < previous->uptime_s || start_moved >= kStartJitterUs ||
                         start_moved <= -kStartJitterUs;

  // Entries of the previous snapshot that are gone.
  {
    auto cur = current.entries.begin();
    for (const DigestEntry& old : previous->entries) {
      while (cur != current.entries.end() && key_less(*cur, old)) ++cur;
      if (cur == current.entries.end() || !same_key(*cur, old)) ++result.entries_vanished;
    }
  }
  if (restarted) {
    result.server_break = DigestBreak::kServerRestart;
  } else if (result.entries_vanished > 0) {
    result.server_break = DigestBreak::kTruncated;
  }
  result.undigested_calls = undigested_calls(*previous, current);

  uint32_t interval_flags = 0;
  if (result.server_break != DigestBreak::kNone) interval_flags |= kSampleEpochBreak;
  if (result.undigested_calls > 0) interval_flags |= kSamplePartial;

  const DigestCounters none;
  auto prev = previous->entries.begin();
  for (const DigestEntry& entry : current.entries) {
    while (prev != previous->entries.end() && key_less(*prev, entry)) ++prev;
    const bool known = prev != previous->entries.end() && same_key(*prev, entry);
    DigestDelta delta;
    if (!known) {
      // Began within the interval (after the previous poll, or the restart).
      delta = digest_counters_delta(entry, none);
    } else if (entry.first_seen_us != prev->first_seen_us ||
               digest_counters_went_backwards(prev->counters, entry.counters)) {
      delta = digest_counters_delta(entry, none);
      delta.flags |= kSampleEpochBreak;
      ++result.entries_restarted;
    } else {
      // Also after a restart or TRUNCATE: an entry that kept its FIRST_SEEN and whose
      // counters only grew survived it (or the restart was a clock step): its delta.
      delta = digest_counters_delta(entry, prev->counters);
    }
    delta.flags |= interval_flags;
    if (moved(delta)) result.deltas.push_back(std::move(delta));
  }
  return result;
}

}  // namespace slowscope
