#include "reports/json/show_json.h"

#include "analyzer/time/utc_time.h"
#include "reports/json/measures_json.h"
#include "reports/json/release_json.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

Json show_to_json(const ShowReport& report) {
  Json doc;
  doc["schema"] = kShowSchemaId;
  doc["from"] = format_utc(report.from);
  doc["until"] = format_utc(report.until);
  doc["query_id"] = report.shape.info.hash;
  doc["fingerprint"] = report.shape.info.fingerprint;
  doc["tables"] = report.shape.info.tables;
  doc["first_seen"] = format_utc(report.shape.first_seen);
  Json targets = Json::array();
  for (const ShapeOnTarget& t : report.targets) {
    Json j;
    j["target"] = t.target;
    add_measures_json(j, t.totals);
    Json timeline = Json::array();
    for (const TimelinePoint& p : t.timeline) {
      Json point;
      point["bucket_start"] = format_utc(p.bucket_start);
      point["bucket_seconds"] = p.bucket.count();
      add_measures_json(point, p.measures);
      timeline.push_back(std::move(point));
    }
    j["timeline"] = std::move(timeline);
    Json statements = Json::array();
    for (const StatementRecord& s : t.statements) {
      Json statement{{"server", s.server.system_id},   {"server_version", s.server.version},
                     {"database", s.key.database},     {"user", s.key.user},
                     {"queryid", s.key.query_id},      {"toplevel", s.key.toplevel},
                     {"first_seen", format_utc(s.first_seen)}};
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
