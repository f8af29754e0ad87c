#include "analyzer/store/measure_columns.h"

namespace slowscope {

void bind_measures(SqlStatement& s, int i, const Measures& m) {
  s.bind_int(i + 0, m.calls);
  s.bind_double(i + 1, m.total_time);
  s.bind_double(i + 2, m.sum_sq);
  s.bind_optional_double(i + 3, m.min_time);
  s.bind_optional_double(i + 4, m.max_time);
  s.bind_int(i + 5, m.row_count);
  s.bind_int(i + 6, m.rows_examined);
  s.bind_int(i + 7, m.shared_blks_hit);
  s.bind_int(i + 8, m.shared_blks_read);
  s.bind_int(i + 9, m.shared_blks_dirtied);
  s.bind_int(i + 10, m.shared_blks_written);
  s.bind_int(i + 11, m.local_blks_hit);
  s.bind_int(i + 12, m.local_blks_read);
  s.bind_int(i + 13, m.local_blks_dirtied);
  s.bind_int(i + 14, m.local_blks_written);
  s.bind_int(i + 15, m.temp_blks_read);
  s.bind_int(i + 16, m.temp_blks_written);
  s.bind_double(i + 17, m.blk_read_time);
  s.bind_double(i + 18, m.blk_write_time);
  s.bind_int(i + 19, m.wal_records);
  s.bind_int(i + 20, m.wal_fpi);
  s.bind_int(i + 21, m.wal_bytes);
  static_assert(Measures::kColumns == 22);
}

Measures read_measures(const SqlStatement& s, int i) {
  Measures m;
  m.calls = s.get_int(i + 0);
  m.total_time = s.get_double(i + 1);
  m.sum_sq = s.get_double(i + 2);
  m.min_time = s.get_optional_double(i + 3);
  m.max_time = s.get_optional_double(i + 4);
  m.row_count = s.get_int(i + 5);
  m.rows_examined = s.get_int(i + 6);
  m.shared_blks_hit = s.get_int(i + 7);
  m.shared_blks_read = s.get_int(i + 8);
  m.shared_blks_dirtied = s.get_int(i + 9);
  m.shared_blks_written = s.get_int(i + 10);
  m.local_blks_hit = s.get_int(i + 11);
  m.local_blks_read = s.get_int(i + 12);
  m.local_blks_dirtied = s.get_int(i + 13);
  m.local_blks_written = s.get_int(i + 14);
  m.temp_blks_read = s.get_int(i + 15);
  m.temp_blks_written = s.get_int(i + 16);
  m.blk_read_time = s.get_double(i + 17);
  m.blk_write_time = s.get_double(i + 18);
  m.wal_records = s.get_int(i + 19);
  m.wal_fpi = s.get_int(i + 20);
  m.wal_bytes = s.get_int(i + 21);
  return m;
}

}  // namespace slowscope
