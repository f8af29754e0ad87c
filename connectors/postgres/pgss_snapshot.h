// PgssSnapshot: what one poll of pg_stat_statements saw on one server — the cumulative
// counters of every readable entry plus the server facts that tell whether counters could
// have restarted since the previous poll (identity, postmaster start, stats_reset, dealloc).
//
// Plain value types; thread-compatible. Times are as the server reports them: milliseconds
// for statement timings, epoch microseconds for time points.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "analyzer/store/store.h"

namespace slowscope {

// The cumulative counters of one pg_stat_statements entry, in the server's units.
struct PgssCounters {
  int64_t calls = 0;
  double total_time_ms = 0;   // total_exec_time (13+) or total_time (12)
  double mean_time_ms = 0;    // the server's running mean, consistent with stddev
  double stddev_time_ms = 0;  // population standard deviation since the entry started
  double min_time_ms = 0;
  double max_time_ms = 0;
  int64_t rows = 0;
  int64_t shared_blks_hit = 0;
  int64_t shared_blks_read = 0;
  int64_t shared_blks_dirtied = 0;
  int64_t shared_blks_written = 0;
  int64_t local_blks_hit = 0;
  int64_t local_blks_read = 0;
  int64_t local_blks_dirtied = 0;
  int64_t local_blks_written = 0;
  int64_t temp_blks_read = 0;
  int64_t temp_blks_written = 0;
  double blk_read_time_ms = 0;  // shared + local data-file reads
  double blk_write_time_ms = 0;
  int64_t wal_records = 0;
  int64_t wal_fpi = 0;
  int64_t wal_bytes = 0;

  // Sum of squared execution times (ms²) since the entry started: calls·(stddev² + mean²).
  double sum_squares_ms2() const {
    return static_cast<double>(calls) *
           (stddev_time_ms * stddev_time_ms + mean_time_ms * mean_time_ms);
  }

  bool operator==(const PgssCounters&) const = default;
};

struct PgssEntry {
  StatementKey key;  // dbid, userid, queryid (decimal text), toplevel
  PgssCounters counters;
  std::optional<int64_t> stats_since_us;  // PostgreSQL 17+: when this entry's counters began

  bool operator==(const PgssEntry&) const = default;
};

struct PgssSnapshot {
  ServerIdentity server;  // system identifier + major version
  int64_t collected_at_us = 0;
  int64_t postmaster_start_us = 0;
  std::optional<int64_t> stats_reset_us;  // pg_stat_statements_info (14+)
  std::optional<int64_t> dealloc;         // entries evicted since stats_reset (14+)
  std::vector<PgssEntry> entries;         // sorted by key, unique

  // Entries whose queryid the polling role may not see (no pg_read_all_stats): they cannot
  // be keyed and are left out of `entries`.
  int64_t hidden_entries = 0;

  bool operator==(const PgssSnapshot&) const = default;
};

// Sorts `entries` by key; when the server returned a key twice (it should not), keeps the
// first.
void normalize_entries(std::vector<PgssEntry>& entries);

}  // namespace slowscope
