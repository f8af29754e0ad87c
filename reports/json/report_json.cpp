#include "reports/json/report_json.h"

#include <cmath>
#include <map>

#include "analyzer/config/config.h"
#include "analyzer/time/utc_time.h"
#include "reports/json/findings_json.h"
#include "reports/json/measures_json.h"
#include "reports/json/release_json.h"
#include "reports/json/trends_json.h"
#include "reports/tool_version.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

Json span_json(const ReportSpan& span) {
  return {{"from", format_utc(span.from)}, {"until", format_utc(span.until)}};
}

Json totals_json(const ReportTotals& t, bool compared) {
  Json out{{"total_time", t.total_time}, {"calls", t.calls}};
  out["before_total_time"] = compared ? Json(t.before_total_time) : Json();
  out["before_calls"] = compared ? Json(t.before_calls) : Json();
  return out;
}

Json summary_json(const ReportData& r) {
  const bool compared = r.comparison_span.has_value();
  Json summary = totals_json(r.totals, compared);
  summary["by_target"] = Json::array();
  for (const auto& [target, totals] : r.totals_by_target) {
    Json t{{"target", target}};
    t.update(totals_json(totals, compared));
    summary["by_target"].push_back(std::move(t));
  }
  summary["top_movers"] = Json::array();
  for (const size_t i : r.top_movers) {
    const ReportShape& s = r.shapes[i];
    summary["top_movers"].push_back({{"target", s.target},
                                     {"query_id", s.query_id},
                                     {"added_time_per_hour", added_time_per_hour(s, r)}});
  }
  const ReportFindingCounts& f = r.finding_counts;
  summary["findings"] = {{"open", f.open},
                         {"opened", f.opened},
                         {"resolved", f.resolved},
                         {"by_kind", f.by_kind},
                         {"by_severity", f.by_severity}};
  int trends = 0;
  for (const TargetTrends& t : r.trends) trends += static_cast<int>(t.findings.size());
  summary["trends"] = trends;
  summary["releases"] = r.releases.size();
  summary["gaps"] = r.gaps.size();
  return summary;
}

Json shape_json(const ReportShape& s, const ReportData& r, bool detailed) {
  Json out{{"target", s.target}, {"query_id", s.query_id}, {"fingerprint", s.fingerprint}};
  out["share"] = r.totals.total_time > 0 ? s.now.total_time / r.totals.total_time : 0.0;
  add_measures_json(out, s.now);
  out["p95_time"] = s.p95 ? Json(*s.p95) : Json();
  out["rows_per_call"] =
      s.now.calls > 0 ? static_cast<double>(s.now.row_count) / static_cast<double>(s.now.calls)
                      : 0.0;
  if (r.comparison_span) {
    out["before"] = {{"calls", s.before.calls},
                     {"total_time", s.before.total_time},
                     {"mean_time", s.before.mean_time()}};
    out["added_time_per_hour"] = added_time_per_hour(s, r);
  } else {
    out["before"] = Json();
    out["added_time_per_hour"] = Json();
  }
  out["has_finding"] = s.has_finding;
  out["detailed"] = detailed;
  return out;
}

Json detail_json(const ReportShapeDetail& d, const ReportData& r) {
  const ReportShape& s = r.shapes[d.shape];
  Json out{{"target", s.target}, {"query_id", s.query_id}, {"tables", d.tables}};
  out["timeline"] = Json::array();
  for (const TimelinePoint& p : d.timeline) {
    out["timeline"].push_back({{"at", format_utc(p.bucket_start)},
                               {"bucket_seconds", p.bucket.count()},
                               {"calls", p.measures.calls},
                               {"total_time", p.measures.total_time},
                               {"mean_time", p.measures.mean_time()},
                               {"rows", p.measures.row_count}});
  }
  out["histogram"] = Json::array();
  for (const auto& [upper, calls] : d.histogram) {
    out["histogram"].push_back(
        {{"le", std::isinf(upper) ? Json() : Json(upper)}, {"calls", calls}});
  }
  if (r.examples) out["example"] = d.example.empty() ? Json() : Json(d.example);
  return out;
}

}  // namespace

Json report_to_json(const ReportData& r) {
  Json doc;
  doc["schema"] = kReportSchemaId;
  doc["tool"] = {{"name", kToolName}, {"version", tool_version()}};
  doc["generated_at"] = format_utc(r.generated_at);
  doc["period"] = span_json(r.period);
  Json comparison{{"mode", to_string(r.comparison)}};
  comparison["from"] = r.comparison_span ? Json(format_utc(r.comparison_span->from)) : Json();
  comparison["until"] = r.comparison_span ? Json(format_utc(r.comparison_span->until)) : Json();
  doc["comparison"] = std::move(comparison);
  doc["examples"] = r.examples;
  doc["targets"] = Json::array();
  for (const ReportTarget& t : r.targets) {
    doc["targets"].push_back(
        {{"name", t.name},
         {"engine", to_string(t.engine)},
         {"last_cycle_at", t.last_cycle_at ? Json(format_utc(*t.last_cycle_at)) : Json()},
         {"samples_through",
          t.samples_through == StoreTime{} ? Json() : Json(format_utc(t.samples_through))}});
  }
  doc["summary"] = summary_json(r);
  std::vector<bool> detailed(r.shapes.size(), false);
  for (const ReportShapeDetail& d : r.details) detailed[d.shape] = true;
  doc["shapes"] = Json::array();
  for (size_t i = 0; i < r.shapes.size(); ++i) {
    doc["shapes"].push_back(shape_json(r.shapes[i], r, detailed[i]));
  }
  doc["details"] = Json::array();
  for (const ReportShapeDetail& d : r.details) doc["details"].push_back(detail_json(d, r));
  doc["findings"] = Json::array();
  for (const FindingRecord& f : r.findings) doc["findings"].push_back(finding_record_to_json(f));
  doc["trends"] = Json::array();
  for (const TargetTrends& t : r.trends) doc["trends"].push_back(target_trends_to_json(t));
  doc["releases"] = Json::array();
  for (const ReportRelease& rel : r.releases) {
    Json release = release_to_json(rel.release);
    release["finding_ids"] = rel.finding_ids;
    doc["releases"].push_back(std::move(release));
  }
  doc["gaps"] = Json::array();
  for (const ReportGap& g : r.gaps) {
    doc["gaps"].push_back({{"target", g.target},
                           {"at", format_utc(g.event.at)},
                           {"kind", g.event.kind},
                           {"message", g.event.message}});
  }
  return doc;
}

}  // namespace slowscope
