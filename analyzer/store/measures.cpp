#include "analyzer/store/measures.h"

#include <algorithm>

namespace slowscope {
namespace {

std::optional<double> combine(const std::optional<double>& a, const std::optional<double>& b,
                              const double& (*pick)(const double&, const double&)) {
  if (!a) return b;
  if (!b) return a;
  return pick(*a, *b);
}

}  // namespace

Measures& Measures::operator+=(const Measures& o) {
  calls += o.calls;
  total_time += o.total_time;
  sum_sq += o.sum_sq;
  min_time = combine(min_time, o.min_time, std::min<double>);
  max_time = combine(max_time, o.max_time, std::max<double>);
  row_count += o.row_count;
  rows_examined += o.rows_examined;
  shared_blks_hit += o.shared_blks_hit;
  shared_blks_read += o.shared_blks_read;
  shared_blks_dirtied += o.shared_blks_dirtied;
  shared_blks_written += o.shared_blks_written;
  local_blks_hit += o.local_blks_hit;
  local_blks_read += o.local_blks_read;
  local_blks_dirtied += o.local_blks_dirtied;
  local_blks_written += o.local_blks_written;
  temp_blks_read += o.temp_blks_read;
  temp_blks_written += o.temp_blks_written;
  blk_read_time += o.blk_read_time;
  blk_write_time += o.blk_write_time;
  wal_records += o.wal_records;
  wal_fpi += o.wal_fpi;
  wal_bytes += o.wal_bytes;
  return *this;
}

}  // namespace slowscope
