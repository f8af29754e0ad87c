#include "analyzer/regression/vanished_detector.h"

#include <cmath>

#include "analyzer/regression/tested_shapes.h"

namespace slowscope {

std::vector<Finding> detect_vanished(const TargetWindows& windows,
                                     const VanishedThresholds& thresholds) {
  std::vector<TestedShape> tested;
  const double buckets = static_cast<double>(windows.baseline.calls_by_bucket.size());
  for (const ShapeWindows& s : windows.shapes) {
    if (s.baseline.calls < thresholds.min_calls || buckets == 0 ||
        static_cast<double>(s.baseline_buckets.size()) / buckets < thresholds.min_presence) {
      continue;
    }
    const int64_t others_base = windows.baseline.calls - s.baseline.calls;
    const int64_t others_post = windows.post.calls - s.post.calls;
    if (others_base <= 0) continue;
    const double expected = static_cast<double>(s.baseline.calls) *
                            static_cast<double>(others_post) / static_cast<double>(others_base);
    tested.push_back({&s, s.post.calls == 0 ? std::exp(-expected) : 1.0, 1, expected});
  }
  correct_together(tested);

  std::vector<Finding> findings;
  for (const TestedShape& t : tested) {
    const ShapeWindows& s = *t.shape;
    if (s.post.calls > 0 || t.figure < thresholds.min_expected || t.q_value > thresholds.fdr) {
      continue;
    }
    Finding f = finding_about(s, FindingKind::kVanished);
    f.p_value = t.p_value;
    f.q_value = t.q_value;
    f.measure = "calls expected in the post window";
    f.before_value = t.figure;
    findings.push_back(std::move(f));
  }
  rank_findings(findings);
  return findings;
}

}  // namespace slowscope
