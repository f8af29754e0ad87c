#include "analyzer/regression/new_shape_detector.h"

#include <cmath>

#include "analyzer/regression/tested_shapes.h"

namespace slowscope {
namespace {

// P(no baseline call | c calls in all), each call falling in the post window with
// probability o_post / (o_post + o_base).
double p_unseen(int64_t calls, int64_t others_post, int64_t others_base) {
  if (others_base <= 0) return 1;
  const double post_share =
      static_cast<double>(others_post) / static_cast<double>(others_post + others_base);
  return std::exp(static_cast<double>(calls) * std::log(post_share));
}

}  // namespace

std::vector<Finding> detect_new_shapes(const TargetWindows& windows,
                                       const NewShapeThresholds& thresholds) {
  std::vector<TestedShape> tested;
  for (const ShapeWindows& s : windows.shapes) {
    if (s.baseline.calls > 0 || s.post.calls < thresholds.min_calls) continue;
    const double p =
        p_unseen(s.post.calls, windows.post.calls - s.post.calls, windows.baseline.calls);
    tested.push_back({&s, p, 1, 0});
  }
  correct_together(tested);

  std::vector<Finding> findings;
  const double hours = hours_of(windows.post_span);
  for (const TestedShape& t : tested) {
    const ShapeWindows& s = *t.shape;
    const double share =
        windows.post.total_time > 0 ? s.post.total_time / windows.post.total_time : 0;
    if (t.q_value > thresholds.fdr || share < thresholds.min_share) continue;
    Finding f = finding_about(s, FindingKind::kNewShape);
    f.severity = share >= thresholds.critical_share ? Severity::kCritical : Severity::kWarning;
    f.p_value = t.p_value;
    f.q_value = t.q_value;
    f.measure = "share of database time";
    f.after_value = share;
    f.added_seconds_per_hour = hours > 0 ? s.post.total_time / hours : 0;
    findings.push_back(std::move(f));
  }
  rank_findings(findings);
  return findings;
}

}  // namespace slowscope
