#include "reports/json/findings_json.h"

#include "analyzer/time/utc_time.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

// JSON null for an empty text.
Json nullable(const std::string& text) {
  return text.empty() ? Json() : Json(text);
}

}  // namespace

Json finding_record_to_json(const FindingRecord& f) {
  Json evidence = Json::parse(f.evidence, nullptr, /*allow_exceptions=*/false);
  if (!evidence.is_object()) evidence = Json::object();
  return {{"id", f.id()},
          {"target", f.target},
          {"query_id", f.shape_hash},
          {"kind", f.kind},
          {"status", to_string(f.status)},
          {"severity", f.severity},
          {"fingerprint", f.fingerprint},
          {"opened_at", format_utc(f.opened_at)},
          {"first_interval", format_utc(f.first_interval)},
          {"last_seen_at", format_utc(f.last_seen_at)},
          {"resolved_at", f.resolved_at ? Json(format_utc(*f.resolved_at)) : Json()},
          {"release", nullable(f.release)},
          {"clean_passes", f.clean_passes},
          {"reopen_count", f.reopen_count},
          {"evidence", std::move(evidence)}};
}

Json findings_to_json(const std::vector<FindingRecord>& findings, const FindingQuery& q) {
  Json doc;
  doc["schema"] = kFindingsSchemaId;
  doc["status"] = q.status ? Json(to_string(*q.status)) : "all";
  doc["since"] = nullable(q.active_since == StoreTime{} ? "" : format_utc(q.active_since));
  doc["findings"] = Json::array();
  for (const FindingRecord& f : findings) doc["findings"].push_back(finding_record_to_json(f));
  return doc;
}

}  // namespace slowscope
