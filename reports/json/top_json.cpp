#include "reports/json/top_json.h"

#include "analyzer/time/utc_time.h"
#include "reports/json/measures_json.h"
#include "reports/json/release_json.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

Json top_to_json(const TopReport& report) {
  Json doc;
  doc["schema"] = kTopSchemaId;
  doc["from"] = format_utc(report.from);
  doc["until"] = format_utc(report.until);
  doc["target"] = report.target ? Json(*report.target) : Json();
  doc["by"] = std::string(to_string(report.order));
  Json shapes = Json::array();
  for (const ShapeTotals& s : report.shapes) {
    Json j;
    j["target"] = s.target;
    j["query_id"] = s.shape_hash;
    j["fingerprint"] = s.fingerprint;
    add_measures_json(j, s.measures);
    shapes.push_back(std::move(j));
  }
  doc["shapes"] = std::move(shapes);
  doc["releases"] = releases_to_json(report.releases);
  return doc;
}

}  // namespace slowscope
