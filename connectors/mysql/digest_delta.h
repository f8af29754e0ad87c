// The delta engine for performance_schema statement digests: turns two successive
// DigestSnapshots of one server into the exact per-interval cost of every (schema, digest)
// entry, and decides from what the server reports whether counters restarted in between.
//
// Pure functions; thread-safe.
//
// Rules (see docs/MYSQL.md):
//  - no previous snapshot, or another server identity or version: a new baseline, no
//    samples (digests of different versions are not comparable);
//  - the server restarted (uptime went down, or the start time it implies moved by 1 s or
//    more), or entries of the previous snapshot vanished (a TRUNCATE of the table; nothing
//    else removes entries): every sample is flagged kSampleEpochBreak, and each entry is
//    judged by the per-entry rules below. performance_schema starts empty after a restart,
//    so every entry there has a new FIRST_SEEN; an entry that kept it and only grew
//    survived (e.g. the "restart" was a clock step), and its delta is right;
//  - per entry: FIRST_SEEN changed or a counter went backwards: it restarted within the
//    interval, its whole counters are the interval's (flagged);
//  - an entry not in the previous snapshot began within the interval: whole counters;
//  - the NULL-digest row grew: statements were not digested because the table was full,
//    so the interval is partial (kSamplePartial) and coverage_incomplete() is true.
// No sample is negative or larger than what ran in the interval: what ran between the
// last poll and a reset is lost, and flagged, rather than estimated. Cumulative min, max
// and quantiles belong to the whole life of an entry, so they are given only for an entry
// that began within the interval.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/digest_snapshot.h"

namespace slowscope {

// What one entry cost in one interval.
struct DigestDelta {
  std::string schema;
  std::string digest;
  std::string digest_text;  // from the current snapshot
  int64_t calls = 0;
  double total_time = 0;           // seconds
  double lock_time = 0;            // seconds
  std::optional<double> min_time;  // seconds; only when the entry began within the interval
  std::optional<double> max_time;
  int64_t rows_sent = 0;
  int64_t rows_examined = 0;
  int64_t rows_affected = 0;
  std::optional<double> p95;  // seconds; MySQL 8 and only when min/max are given
  std::optional<double> p99;
  uint32_t flags = 0;  // SampleFlag bits

  bool operator==(const DigestDelta&) const = default;
};

enum class DigestBreak {
  kNone,
  kBaseline,       // no previous snapshot
  kServerChanged,  // another server or version: digests are not comparable
  kServerRestart,  // uptime or start time say the server restarted
  kTruncated,      // entries vanished: TRUNCATE of the digest table
};

// "none", "baseline", ...: for messages.
std::string_view to_string(DigestBreak reason);

// The event a collector records when an interval's coverage is incomplete.
inline constexpr std::string_view kDigestCoverageMessage =
    "coverage incomplete: raise performance_schema_digests_size";

struct DigestInterval {
  DigestBreak server_break = DigestBreak::kNone;
  std::vector<DigestDelta> deltas;  // entries that moved, sorted by (schema, digest)
  int64_t entries_restarted = 0;    // per-entry breaks (FIRST_SEEN moved, counters backwards)
  int64_t entries_vanished = 0;     // entries of the previous snapshot not seen any more
  int64_t undigested_calls = 0;     // statements counted in the NULL-digest row

  // Statements ran that no entry accounts for: the digest table is full.
  bool coverage_incomplete() const { return undigested_calls > 0; }
};

// The interval between `previous` (nullptr: none) and `current`.
DigestInterval compute_digest_interval(const DigestSnapshot* previous,
                                       const DigestSnapshot& current);

// True when any counter of `later` is below `earlier`.
bool digest_counters_went_backwards(const DigestCounters& earlier, const DigestCounters& later);

// `later` − `earlier` for `entry` (no counter may have gone backwards); min, max and
// quantiles only when all of the entry's calls are the interval's.
DigestDelta digest_counters_delta(const DigestEntry& entry, const DigestCounters& earlier);

}  // namespace slowscope
