// The delta engine: turns two successive pg_stat_statements snapshots of one server into the
// exact per-interval cost of every entry, and decides — from facts the server reports, never
// from guesses — whether counters restarted in between (an epoch break).
//
// Pure functions; thread-safe.
//
// Rules (see docs/COLLECT.md):
//  - no previous snapshot, or a different server identity: a new baseline, no samples;
//  - stats_reset changed: every entry began after the reset, so its whole counters are the
//    interval's (flagged kSampleEpochBreak);
//  - postmaster restarted: entries whose counters did not go backwards yield their delta,
//    others their whole counters; every sample is flagged;
//  - per entry (entry_restart): stats_since changed (17+), any counter went backwards, or
//    (before 17, which has no stats_since) the entry's counters cannot have grown from the
//    previous ones: its min went up, its max went down, or the interval's time or sum of
//    squares cannot come from that many calls between its min and max. The entry restarted
//    within the interval (pg_stat_statements_reset(userid, dbid, queryid), an eviction):
//    its whole counters are the interval's (flagged);
//  - an entry not in the previous snapshot began within the interval: whole counters;
//  - entries of the previous snapshot that are gone, beyond what evictions (dealloc) and
//    newly hidden entries explain, were reset one by one: counted for an event;
//  - dealloc grew: entries were evicted, so the interval is partial (kSamplePartial).
// No sample is ever negative or larger than what ran in the interval.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/store/measures.h"
#include "analyzer/store/store.h"
#include "connectors/postgres/pgss_snapshot.h"

namespace slowscope {

struct EntryDelta {
  StatementKey key;
  Measures measures;   // seconds
  uint32_t flags = 0;  // SampleFlag bits

  bool operator==(const EntryDelta&) const = default;
};

enum class EpochBreak {
  kNone,
  kBaseline,       // no previous snapshot: nothing to subtract from
  kServerChanged,  // another cluster or major version: keys are not comparable
  kStatsReset,     // pg_stat_statements_reset() (stats_reset moved)
  kServerRestart,  // postmaster start time moved
};

// "none", "baseline", ...: for messages.
std::string_view to_string(EpochBreak reason);

// Why an entry's counters are known to have restarted since the previous poll.
enum class EntryRestart {
  kNone,
  kStatsSince,  // its stats_since changed (17+)
  kBackwards,   // a cumulative counter (calls, time, rows, blocks, WAL, Σx²) went down
  kImpossible,  // its min went up or max went down, or the interval's time or Σx² cannot
                // come from that many calls between its min and max (before 17)
};

// How `current` follows from `previous`, two polls of one entry's counters.
EntryRestart entry_restart(const PgssEntry& previous, const PgssEntry& current);

struct IntervalDeltas {
  EpochBreak server_break = EpochBreak::kNone;
  std::vector<EntryDelta> deltas;  // entries that moved, sorted by key
  int64_t entries_restarted = 0;   // per-entry breaks (entry_restart), any reason
  int64_t restarted_backwards = 0;   // ...of them: a counter went backwards
  int64_t restarted_impossible = 0;  // ...of them: counters that cannot have grown so
  int64_t deallocated = 0;  // dealloc growth: eviction rounds (each evicts several entries)
  // Entries of the previous snapshot missing from this one beyond what evictions and newly
  // hidden entries explain: reset one by one, what they ran since the last poll is lost.
  // 0 when it cannot be told (no dealloc before PostgreSQL 14, or a server-wide break).
  int64_t entries_vanished = 0;
};

// The interval between `previous` (nullptr: none) and `current`.
IntervalDeltas compute_interval(const PgssSnapshot* previous, const PgssSnapshot& current);

// `later` − `earlier` in Measures (seconds), the sum of squares clamped so that the
// interval's variance is never negative. Assumes no counter went backwards.
Measures counters_delta(const PgssCounters& earlier, const PgssCounters& later);

// The whole counters of an entry as Measures, min/max included (they are the interval's).
Measures counters_whole(const PgssCounters& counters);

// True when any counter of `later` is below `earlier`.
bool counters_went_backwards(const PgssCounters& earlier, const PgssCounters& later);

}  // namespace slowscope
