#include "analyzer/regression/continuous_detection.h"

#include "analyzer/regression/daily_series.h"

namespace slowscope {
namespace {

// Records `report.check` as a pass of `scope` at `now`: new findings follow the latest
// release at or before `now`.
void record_pass(Store& store, const std::string& target, StoreTime now, PassScope scope,
                 const LifecycleOptions& lifecycle, const FindingsHook& on_changes,
                 DetectionPassReport& report) {
  if (!report.check.findings.empty()) {
    const std::vector<Release> releases =
        store.releases({target, StoreTime{}, now + std::chrono::seconds(1)});
    if (!releases.empty()) {
      for (Finding& f : report.check.findings) f.release = releases.back().name;
    }
  }
  DetectionPass pass;
  pass.target = target;
  const ComparisonWindows& windows = report.check.windows;
  pass.post_from = windows.post.from;
  pass.baseline_from = windows.baseline.front().from;
  pass.baseline_until = windows.baseline.back().until;
  pass.at = now;
  pass.evaluated = true;
  pass.findings = report.check.findings;
  pass.thin_shapes = report.check.thin_shapes;
  pass.scope = scope;
  store.update_findings(target, found_identities(pass),
                        [&](const std::vector<FindingRecord>& stored) {
                          report.changes = track_findings(stored, pass, lifecycle);
                          FindingsUpdate update;
                          update.at = now;
                          for (const FindingChange& c : report.changes) {
                            update.rows.push_back(c.record);
                          }
                          if (on_changes) {
                            on_changes(store, target, now, stored, report.changes, update);
                          }
                          return update;
                        });
}

}  // namespace

DetectionPassReport run_detection_pass(Store& store, const std::string& target, StoreTime now,
                                       const ContinuousDetectionOptions& options,
                                       RecentIntervals* kept) {
  DetectionPassReport report;
  report.check = detect_recent(store, target, now, options.recent, kept);
  if (report.check.evaluated) {
    record_pass(store, target, now, PassScope::kWindows, options.lifecycle, options.on_changes,
                report);
  }
  return report;
}

DetectionPassReport run_trend_pass(Store& store, const std::string& target, StoreTime now,
                                   const TrendPassOptions& options,
                                   const FindingsHook& on_changes) {
  DetectionPassReport report;
  TargetCheck& check = report.check;
  check.target = target;
  const std::vector<ShapeDailySeries> series = read_daily_series(store, target, now, options.days);
  if (series.empty()) {
    check.reason =
        "no whole day of history in the " + std::to_string(options.days) + " days before today";
    return report;
  }
  const TimeSpan days = daily_series_span(now, options.days);
  const std::chrono::days day(1);
  check.windows.baseline = {{days.from, days.from + day}};
  check.windows.post = {days.until - day, days.until};
  check.evaluated = true;
  check.shapes_compared = static_cast<int>(series.size());
  check.findings = detect_latency_trends(series, options.thresholds);
  record_pass(store, target, now, PassScope::kTrends, options.lifecycle, on_changes, report);
  return report;
}

}  // namespace slowscope
