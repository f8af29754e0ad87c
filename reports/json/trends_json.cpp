#include "reports/json/trends_json.h"

#include "analyzer/time/utc_time.h"
#include "reports/json/finding_json.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

Json target_trends_to_json(const TargetTrends& t) {
  Json target{{"target", t.target}, {"shapes_tested", t.shapes_tested}};
  target["findings"] = Json::array();
  for (const Finding& f : t.findings) target["findings"].push_back(finding_to_json(f));
  return target;
}

Json trends_to_json(const std::vector<TargetTrends>& report, StoreTime from, StoreTime until,
                    int exit_code) {
  Json doc;
  doc["schema"] = kTrendsSchemaId;
  doc["exit_code"] = exit_code;
  doc["days"] = {{"from", format_utc(from)}, {"until", format_utc(until)}};
  doc["targets"] = Json::array();
  for (const TargetTrends& t : report) doc["targets"].push_back(target_trends_to_json(t));
  return doc;
}

}  // namespace slowscope
