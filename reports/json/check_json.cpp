#include "reports/json/check_json.h"

#include "analyzer/time/utc_time.h"
#include "reports/json/finding_json.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

std::string check_verdict(int exit_code) {
  switch (exit_code) {
    case 0:
      return "no regression";
    case 1:
      return "regression";
    default:
      return "could not evaluate";
  }
}

Json check_to_json(const CheckResult& r, int exit_code) {
  Json doc;
  doc["schema"] = kCheckSchemaId;
  doc["verdict"] = check_verdict(exit_code);
  doc["exit_code"] = exit_code;
  doc["release"] = {{"name", r.release.name}, {"at", format_utc(r.release.at)}};
  doc["baseline"] = {{"from", format_utc(r.baseline.front().from)},
                     {"until", format_utc(r.baseline.back().until)},
                     {"mode", to_string(r.baseline_mode)},
                     {"spans", Json::array()}};
  for (const TimeSpan& span : r.baseline) {
    doc["baseline"]["spans"].push_back({{"from", format_utc(span.from)}, {"until", format_utc(span.until)}});
  }
  doc["post"] = {{"from", format_utc(r.post_from)}, {"until", format_utc(r.post_until)}};
  doc["targets"] = Json::array();
  for (const TargetCheck& t : r.targets) {
    Json target{
        {"target", t.target}, {"evaluated", t.evaluated}, {"shapes_compared", t.shapes_compared}};
    if (!t.evaluated) target["reason"] = t.reason;
    target["findings"] = Json::array();
    for (const Finding& f : t.findings) {
      target["findings"].push_back(finding_to_json(f));
    }
    doc["targets"].push_back(std::move(target));
  }
  return doc;
}

}  // namespace slowscope
