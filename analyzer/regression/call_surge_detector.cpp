#include "analyzer/regression/call_surge_detector.h"

#include "analyzer/regression/stats/welch_t_test.h"
#include "analyzer/regression/tested_shapes.h"

namespace slowscope {
namespace {

// The shape's calls per call of the other shapes in each bucket where there were others.
std::vector<double> ratios_per_bucket(const std::vector<IntervalCounts>& shape_buckets,
                                      const WindowTotals& window) {
  std::vector<double> ratios;
  auto own = shape_buckets.begin();
  for (const auto& [start, calls] : window.calls_by_bucket) {
    while (own != shape_buckets.end() && own->start < start) ++own;
    const int64_t mine = own != shape_buckets.end() && own->start == start ? own->calls : 0;
    if (calls - mine > 0) {
      ratios.push_back(static_cast<double>(mine) / static_cast<double>(calls - mine));
    }
  }
  return ratios;
}

// Calls of `shape` per call of the target's other shapes over a whole window.
double pooled_ratio(int64_t mine, int64_t all) {
  return all - mine > 0 ? static_cast<double>(mine) / static_cast<double>(all - mine) : 0;
}

}  // namespace

std::vector<Finding> detect_call_surges(const TargetWindows& windows,
                                        const CallSurgeThresholds& thresholds) {
  std::vector<TestedShape> tested;
  for (const ShapeWindows& s : windows.shapes) {
    if (s.baseline.calls < thresholds.min_calls || s.post.calls < thresholds.min_calls) continue;
    const auto before = ratios_per_bucket(s.baseline_buckets, windows.baseline);
    const auto after = ratios_per_bucket(s.post_buckets, windows.post);
    const stats::WelchResult welch =
        stats::welch_t_test(stats::Moments::of(before), stats::Moments::of(after));
    if (!welch.defined) continue;
    tested.push_back({&s, welch.p_greater, 1, 0});
  }
  correct_together(tested);

  std::vector<Finding> findings;
  const double hours = hours_of(windows.post_span);
  for (const TestedShape& t : tested) {
    const ShapeWindows& s = *t.shape;
    const double before = pooled_ratio(s.baseline.calls, windows.baseline.calls);
    const double after = pooled_ratio(s.post.calls, windows.post.calls);
    if (before <= 0 || t.q_value > thresholds.fdr || after < before * thresholds.min_ratio) {
      continue;
    }
    Finding f = ratio_finding(t, FindingKind::kCallSurge, "calls per call of other shapes", before,
                              after, thresholds.critical_ratio);
    const double expected_calls = before * static_cast<double>(windows.post.calls - s.post.calls);
    f.added_seconds_per_hour =
        hours > 0 ? (static_cast<double>(s.post.calls) - expected_calls) * f.after_mean / hours : 0;
    findings.push_back(std::move(f));
  }
  rank_findings(findings);
  return findings;
}

}  // namespace slowscope
