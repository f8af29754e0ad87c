#include "reports/json/measures_json.h"

#include "reports/history_report.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

Json optional_seconds(const std::optional<double>& v) {
  return v ? Json(*v) : Json();
}

}  // namespace

void add_measures_json(Json& j, const Measures& m) {
  j["calls"] = m.calls;
  j["total_time"] = m.total_time;
  j["mean_time"] = m.mean_time();
  j["stddev_time"] = stddev_time(m);
  j["min_time"] = optional_seconds(m.min_time);
  j["max_time"] = optional_seconds(m.max_time);
  j["rows"] = m.row_count;
  j["rows_examined"] = m.rows_examined;
  j["shared_blks_hit"] = m.shared_blks_hit;
  j["shared_blks_read"] = m.shared_blks_read;
  j["shared_blks_dirtied"] = m.shared_blks_dirtied;
  j["shared_blks_written"] = m.shared_blks_written;
  j["local_blks_hit"] = m.local_blks_hit;
  j["local_blks_read"] = m.local_blks_read;
  j["temp_blks_read"] = m.temp_blks_read;
  j["temp_blks_written"] = m.temp_blks_written;
  j["io_blocks"] = m.io_blocks();
  j["blk_read_time"] = m.blk_read_time;
  j["blk_write_time"] = m.blk_write_time;
  j["wal_records"] = m.wal_records;
  j["wal_bytes"] = m.wal_bytes;
}

}  // namespace slowscope
