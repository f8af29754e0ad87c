#include "analyzer/regression/continuous_detection.h"

namespace slowscope {

DetectionPassReport run_detection_pass(Store& store, const std::string& target, StoreTime now,
                                       const ContinuousDetectionOptions& options) {
  DetectionPassReport report;
  report.check = detect_recent(store, target, now, options.recent);
  if (!report.check.evaluated) return report;

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
  store.update_findings(target, found_identities(pass),
                        [&](const std::vector<FindingRecord>& stored) {
                          report.changes = track_findings(stored, pass, options.lifecycle);
                          std::vector<FindingRecord> rows;
                          for (const FindingChange& c : report.changes) rows.push_back(c.record);
                          return rows;
                        });
  return report;
}

}  // namespace slowscope
