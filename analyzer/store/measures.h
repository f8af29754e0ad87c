// Measures: what one query shape cost over some time — the counters a collector turns into
// per-interval deltas (pg_stat_statements, performance_schema, slow logs) and that the store
// sums over time. A plain value type; thread-compatible.
//
// Times are seconds. The field order is the column order of the sample tables and of every
// statement in sql/store/ that lists measures: keep them in step.
#pragma once

#include <cstdint>
#include <optional>

namespace slowscope {

struct Measures {
  int64_t calls = 0;
  double total_time = 0;           // sum of execution times
  double sum_sq = 0;               // sum of squared execution times, for the variance
  std::optional<double> min_time;  // where the source knows them
  std::optional<double> max_time;
  int64_t row_count = 0;      // rows returned or affected
  int64_t rows_examined = 0;  // MySQL sources; 0 for PostgreSQL
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
  double blk_read_time = 0;  // I/O wait, when the server tracks it
  double blk_write_time = 0;
  int64_t wal_records = 0;
  int64_t wal_fpi = 0;
  int64_t wal_bytes = 0;

  // Number of measure columns, i.e. SQL columns/parameters read_measures/bind_measures use.
  static constexpr int kColumns = 22;

  // Adds `other` (counters summed, min/max combined).
  Measures& operator+=(const Measures& other);

  // Mean execution time; 0 without calls.
  double mean_time() const { return calls > 0 ? total_time / static_cast<double>(calls) : 0; }
  // Blocks that needed I/O: read from outside shared buffers, or spilled to temp files.
  int64_t io_blocks() const {
    return shared_blks_read + local_blks_read + temp_blks_read + temp_blks_written;
  }

  bool operator==(const Measures&) const = default;
};

}  // namespace slowscope
