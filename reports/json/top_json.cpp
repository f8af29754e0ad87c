#include "reports/json/top_json.h"

#include "analyzer/time/utc_time.h"
#include "reports/json/release_json.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

std::string utc(StoreTime t) {
  return format_utc(t.time_since_epoch().count() * 1'000'000);
}

Json optional_seconds(const std::optional<double>& v) {
  return v ? Json(*v) : Json();
}

// The measures every shape and bucket carries, in a fixed order.
void add_measures(Json& j, const Measures& m) {
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

}  // namespace

Json top_to_json(const TopReport& report) {
  Json doc;
  doc["schema"] = kTopSchemaId;
  doc["from"] = utc(report.from);
  doc["until"] = utc(report.until);
  doc["target"] = report.target ? Json(*report.target) : Json();
  doc["by"] = std::string(to_string(report.order));
  Json shapes = Json::array();
  for (const ShapeTotals& s : report.shapes) {
    Json j;
    j["target"] = s.target;
    j["query_id"] = s.shape_hash;
    j["fingerprint"] = s.fingerprint;
    add_measures(j, s.measures);
    shapes.push_back(std::move(j));
  }
  doc["shapes"] = std::move(shapes);
  doc["releases"] = releases_to_json(report.releases);
  return doc;
}

Json show_to_json(const ShowReport& report) {
  Json doc;
  doc["schema"] = kShowSchemaId;
  doc["from"] = utc(report.from);
  doc["until"] = utc(report.until);
  doc["query_id"] = report.shape.info.hash;
  doc["fingerprint"] = report.shape.info.fingerprint;
  doc["tables"] = report.shape.info.tables;
  doc["first_seen"] = utc(report.shape.first_seen);
  Json targets = Json::array();
  for (const ShapeOnTarget& t : report.targets) {
    Json j;
    j["target"] = t.target;
    add_measures(j, t.totals);
    Json timeline = Json::array();
    for (const TimelinePoint& p : t.timeline) {
      Json point;
      point["bucket_start"] = utc(p.bucket_start);
      point["bucket_seconds"] = p.bucket.count();
      add_measures(point, p.measures);
      timeline.push_back(std::move(point));
    }
    j["timeline"] = std::move(timeline);
    Json statements = Json::array();
    for (const StatementRecord& s : t.statements) {
      Json statement{{"server", s.server.system_id},   {"server_version", s.server.version},
                     {"database", s.key.database},     {"user", s.key.user},
                     {"queryid", s.key.query_id},      {"toplevel", s.key.toplevel},
                     {"first_seen", utc(s.first_seen)}};
      if (report.examples) statement["query"] = s.query_text;
      statements.push_back(std::move(statement));
    }
    j["statements"] = std::move(statements);
    targets.push_back(std::move(j));
  }
  doc["targets"] = std::move(targets);
  doc["releases"] = releases_to_json(report.releases);
  return doc;
}

}  // namespace slowscope
